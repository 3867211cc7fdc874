
namespace Folios.Tests.Mapping;

/// <summary>Reads /proc/self/maps, so it runs alone: another test's mmap could reuse a released range.</summary>
[CollectionDefinition(nameof(PageMappingTests), DisableParallelization = true)]
public class AddressSpaceCollection;

[Collection(nameof(PageMappingTests))]
public class PageMappingTests
{
    private static PageAllocator Create(int maxMappedPages = 1024, bool trackLeaks = false) =>
        new(new PageAllocatorOptions { ArenaBytes = 64 * 4096, MaxOrder = 6, ReservePages = 0, MaxMappedPages = maxMappedPages, TrackLeaks = trackLeaks });

    [Fact]
    public void A_view_aliases_its_pages_in_both_directions()
    {
        using var allocator = Create();
        var pages = new[] { allocator.Allocate(0), allocator.Allocate(0), allocator.Allocate(0) };
        var scattered = new[] { pages[2], pages[0] }; // out of arena order
        using var view = allocator.Map(scattered);
        Assert.Equal(8192, view.Length);
        Assert.Equal(2, view.PageCount);

        view.Span.Slice(4088, 16).Fill(0x5A); // straddles the two pages of the view
        Assert.True(pages[2].Span[4088..].IndexOfAnyExcept((byte)0x5A) < 0);
        Assert.True(pages[0].Span[..8].IndexOfAnyExcept((byte)0x5A) < 0);

        pages[0].Span[100] = 0x77;
        Assert.Equal(0x77, view.Span[4096 + 100]);
    }

    [Fact]
    public void Two_views_of_the_same_pages_alias_each_other()
    {
        using var allocator = Create();
        var pages = new[] { allocator.Allocate(0), allocator.Allocate(0) };
        using var first = allocator.Map(pages);
        using var second = allocator.Map(pages);
        first.Span[5000] = 42;
        Assert.Equal(42, second.Span[5000]);
        Assert.Equal(2, allocator.Statistics.LiveMappings);
        Assert.Equal(4, allocator.Statistics.MappedPages);
    }

    [Fact]
    public void Unmapping_twice_throws_and_Dispose_after_Unmap_is_harmless()
    {
        using var allocator = Create();
        var view = allocator.Map([allocator.Allocate(0)]);
        view.Unmap();
        Assert.False(view.IsMapped);
        Assert.Contains("already unmapped", Assert.Throws<InvalidOperationException>(view.Unmap).Message);
        view.Dispose();
        Assert.Equal(0, allocator.Statistics.LiveMappings);
    }

    [Fact]
    public void The_view_is_refused_after_unmap_rather_than_handed_out_stale()
    {
        using var allocator = Create();
        var view = allocator.Map([allocator.Allocate(0)]);
        view.Dispose();
        Assert.Throws<ObjectDisposedException>(() => view.Span.Length);
    }

    [Fact]
    public void Freeing_a_page_that_is_still_mapped_throws_and_keeps_the_page()
    {
        using var allocator = Create();
        var page = allocator.Allocate(0);
        var view = allocator.Map([page]);
        Assert.Contains("still mapped", Assert.Throws<InvalidOperationException>(() => allocator.Free(page)).Message);
        Assert.True(page.IsAllocated);
        view.Unmap();
        allocator.Free(page);
    }

    [Fact]
    public void Bad_map_arguments_are_rejected()
    {
        using var allocator = Create();
        using var other = Create();
        Assert.Throws<ArgumentException>(() => allocator.Map([]));
        Assert.Throws<ArgumentException>(() => allocator.Map([default]));
        Assert.Throws<ArgumentException>(() => allocator.Map([other.Allocate(0)]));
        var freed = allocator.Allocate(0);
        allocator.Free(freed);
        Assert.Throws<ObjectDisposedException>(() => allocator.Map([freed]));
        Assert.Equal(0, allocator.Statistics.LiveMappings);
    }

    [Fact]
    public void The_budget_of_mapped_pages_is_enforced_and_freed_by_unmap()
    {
        using var allocator = Create(maxMappedPages: 4);
        var pages = Enumerable.Range(0, 5).Select(_ => allocator.Allocate(0)).ToArray();
        var view = allocator.Map(pages.AsSpan(0, 4));
        var error = Assert.Throws<InvalidOperationException>(() => allocator.Map(pages.AsSpan(4, 1)));
        Assert.Contains("4 of 4", error.Message);
        view.Unmap();
        using var next = allocator.Map(pages.AsSpan(4, 1));
        Assert.True(next.IsMapped);
    }

    [Fact]
    public void Unmap_is_lazy_and_UnmapAliases_releases_the_address_range()
    {
        using var allocator = Create();
        var page = allocator.Allocate(0);
        var view = allocator.Map([page]);
        long start = ProcessMaps.AddressOf(view);
        view.Unmap();
        Assert.True(IsAddressMapped(start), "a lazily unmapped view keeps its range until UnmapAliases");
        allocator.UnmapAliases();
        Assert.False(IsAddressMapped(start));
    }

    [Fact]
    public void Pages_adjacent_in_the_arena_share_one_memory_area()
    {
        using var allocator = Create();
        var pages = new Folio[8];
        allocator.AllocatePages(pages, AllocFlags.None);
        var ordered = pages.OrderBy(p => p.FirstPage).ToArray();
        using var inOrder = allocator.Map(ordered);
        using var reversed = allocator.Map(Enumerable.Reverse(ordered).ToArray());
        Assert.Equal(1, AreasWithin(ProcessMaps.AddressOf(inOrder), inOrder.Length));
        Assert.Equal(8, AreasWithin(ProcessMaps.AddressOf(reversed), reversed.Length));
    }

    [Fact]
    public void TrackLeaks_reports_each_live_mapping_with_its_creation_stack()
    {
        var allocator = Create(trackLeaks: true);
        var reports = new List<LiveMappingEventArgs>();
        allocator.LiveMappingReported += (_, report) => reports.Add(report);
        var leaked = allocator.Map([allocator.Allocate(0), allocator.Allocate(0)]);
        allocator.Map([allocator.Allocate(0)]).Unmap();
        allocator.Dispose();
        var report = Assert.Single(reports);
        Assert.Equal(LiveMappingReason.AllocatorDisposed, report.Reason);
        Assert.Equal(2, report.PageCount);
        Assert.Contains(nameof(TrackLeaks_reports_each_live_mapping_with_its_creation_stack), report.CreationStack);
        Assert.Contains("never unmapped", report.ToString());
        Assert.False(leaked.IsMapped);
        allocator.Dispose();
        Assert.Single(reports);
    }

    [Fact]
    public void Without_TrackLeaks_a_leaked_mapping_is_not_reported()
    {
        var allocator = Create();
        int reports = 0;
        allocator.LiveMappingReported += (_, _) => reports++;
        _ = allocator.Map([allocator.Allocate(0)]);
        allocator.Dispose();
        Assert.Equal(0, reports);
    }

    [Fact]
    public void A_mapping_of_a_disposed_allocator_is_unmapped()
    {
        var allocator = Create();
        var view = allocator.Map([allocator.Allocate(0)]);
        allocator.Dispose();
        Assert.False(view.IsMapped);
        Assert.Throws<ObjectDisposedException>(() => view.Span.Length);
    }

    private static bool IsAddressMapped(long address) => ProcessMaps.At(address) is not null;

    private static int AreasWithin(long start, int length) => ProcessMaps.Areas().Count(a => a.Start >= start && a.End <= start + length);
}
