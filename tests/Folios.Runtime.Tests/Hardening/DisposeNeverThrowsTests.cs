using System.Buffers.Binary;
using System.Xml.Linq;

namespace Folios.Tests.Hardening;

/// <summary>
/// Dispose never throws (CA1065: <c>using</c> must be safe). Pages that a view still maps when their buffer is disposed
/// stay allocated for that view and go back at its unmap, reference counted as the kernel counts page references;
/// misuse is reported where it happens (Unmap, Span, Free) or, with TrackLeaks, through LiveMappingReported.
/// </summary>
public class DisposeNeverThrowsTests
{
    private const int Pages = 16;

    private static PageAllocator Create(bool trackLeaks = false, FailPageAlloc? faults = null) =>
        new(new PageAllocatorOptions { ArenaBytes = 4096L * Pages, MaxOrder = 4, ReservePages = 0, TrackLeaks = trackLeaks, FaultInjection = faults });

    /// <summary>An allocator that gives FolioOrMapped its mapped fallback (high orders fail by injection).</summary>
    private static PageAllocator For(AllocationPolicy policy, bool trackLeaks = false) =>
        Create(trackLeaks, policy == AllocationPolicy.FolioOrMapped ? new FailPageAlloc { MinOrder = 1 } : null);

    private static ExtentBuffer Buffer(PageAllocator allocator, AllocationPolicy policy, int length = 4 * 4096) =>
        ExtentBuffer.Allocate(allocator, length, policy, policy == AllocationPolicy.SingleFolio ? AllocFlags.None : AllocFlags.NoFail);

    public static TheoryData<AllocationPolicy> Policies() => new(Enum.GetValues<AllocationPolicy>());

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_buffer_disposed_while_mapped_elsewhere_keeps_its_pages_for_the_view_until_its_unmap(AllocationPolicy policy)
    {
        using var allocator = For(policy);
        var buffer = Buffer(allocator, policy);
        buffer.WriteUInt32LittleEndian(5000, 0xC0FFEE);
        var view = buffer.Map();
        int freeWhileMapped = allocator.Statistics.FreePages;

        buffer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => buffer.ReadByte(0));
        Assert.Equal(freeWhileMapped, allocator.Statistics.FreePages);
        Assert.Equal(0xC0FFEEu, BinaryPrimitives.ReadUInt32LittleEndian(view.Span[5000..]));
        view.Span[16383] = 9;
        // Nobody else can get the view's pages: every page still free goes to a new owner, and the view is untouched.
        var others = new Folio[freeWhileMapped];
        Assert.Equal(freeWhileMapped, allocator.AllocatePages(others));
        Assert.False(allocator.TryAllocate(0, AllocFlags.NoWait, out _));
        foreach (var other in others)
            other.Span.Fill(0xEE);
        Assert.Equal(0xC0FFEEu, BinaryPrimitives.ReadUInt32LittleEndian(view.Span[5000..]));
        foreach (var other in others)
            allocator.Free(other);

        view.Unmap();

        Assert.Equal(Pages, allocator.Statistics.FreePages);
        Assert.Throws<ObjectDisposedException>(() => view.Span.Length);
        Assert.Throws<InvalidOperationException>(view.Unmap);
        view.Dispose();
        buffer.Dispose();
        Assert.Equal(Pages, allocator.Statistics.FreePages);
    }

    [Fact]
    public void The_pages_go_back_with_the_last_of_several_views_whichever_order_they_go_in()
    {
        using var allocator = Create();
        var buffer = ExtentBuffer.Allocate(allocator, 3 * 4096);
        var first = buffer.Map();
        var second = buffer.Map();
        buffer.Dispose();
        Assert.Equal(Pages - 3, allocator.Statistics.FreePages);
        second.Dispose();
        Assert.Equal(Pages - 3, allocator.Statistics.FreePages);
        first.Span[0] = 1;
        first.Dispose();
        Assert.Equal(Pages, allocator.Statistics.FreePages);
    }

    [Fact]
    public void A_view_of_part_of_a_buffer_holds_back_only_the_pages_it_maps()
    {
        using var allocator = Create();
        var buffer = ExtentBuffer.Allocate(allocator, 4 * 4096);
        var view = allocator.Map([buffer.GetFolio(1), buffer.GetFolio(3)]);
        buffer.Dispose();
        Assert.Equal(Pages - 2, allocator.Statistics.FreePages);
        view.Unmap();
        Assert.Equal(Pages, allocator.Statistics.FreePages);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void TrackLeaks_reports_each_view_that_keeps_a_disposed_buffer_s_pages(AllocationPolicy policy)
    {
        using var allocator = For(policy, trackLeaks: true);
        var reports = new List<LiveMappingEventArgs>();
        allocator.LiveMappingReported += (_, report) => reports.Add(report);
        var buffer = Buffer(allocator, policy);
        using var whole = buffer.Map();
        using var part = allocator.Map([buffer.GetFolio(0)]);
        int partPages = buffer.GetFolio(0).PageCount; // the whole folio: 4 pages for SingleFolio, else one
        using var unrelated = allocator.Map([allocator.Allocate(0)]);

        buffer.Dispose();

        Assert.Equal(2, reports.Count);
        Assert.All(reports, report => Assert.Equal(LiveMappingReason.PagesReleased, report.Reason));
        Assert.All(reports, report => Assert.Contains(nameof(TrackLeaks_reports_each_view_that_keeps_a_disposed_buffer_s_pages), report.CreationStack));
        Assert.Equal(new[] { partPages, 4 }.Order(), reports.Select(r => r.PageCount).Order());
        Assert.Contains("go back when it is unmapped", reports[0].ToString());
    }

    [Fact]
    public void Without_TrackLeaks_a_disposed_buffer_s_views_are_not_reported()
    {
        using var allocator = Create();
        int reports = 0;
        allocator.LiveMappingReported += (_, _) => reports++;
        var buffer = ExtentBuffer.Allocate(allocator, 8192);
        using var view = buffer.Map();
        buffer.Dispose();
        Assert.Equal(0, reports);
    }

    [Fact]
    public void A_buffer_whose_folio_was_freed_behind_its_back_disposes_quietly_and_leaves_the_new_owner_alone()
    {
        using var allocator = Create();
        var buffer = ExtentBuffer.Allocate(allocator, 2 * 4096);
        allocator.Free(buffer.GetFolio(1));
        var owner = allocator.Allocate(0);
        buffer.Dispose();
        Assert.True(owner.IsAllocated);
        Assert.Equal(Pages - 1, allocator.Statistics.FreePages);
        allocator.Free(owner);
        Assert.Equal(Pages, allocator.Statistics.FreePages);
    }

    [Fact]
    public void A_buffer_disposed_while_mapped_and_then_the_allocator_leave_nothing_to_throw()
    {
        var allocator = Create(trackLeaks: true);
        var reasons = new List<LiveMappingReason>();
        allocator.LiveMappingReported += (_, report) => reasons.Add(report.Reason);
        var buffer = ExtentBuffer.Allocate(allocator, 8192);
        var view = buffer.Map();
        buffer.Dispose();
        allocator.Dispose();
        Assert.Equal(new[] { LiveMappingReason.PagesReleased, LiveMappingReason.AllocatorDisposed }, reasons);
        Assert.False(view.IsMapped);
        view.Unmap();
        Assert.Throws<InvalidOperationException>(view.Unmap);
    }

    [Fact]
    public async Task Disposing_a_buffer_racing_the_unmap_of_its_view_gives_every_page_back_exactly_once()
    {
        using var allocator = Create();
        for (int round = 0; round < 300; round++)
        {
            var buffer = ExtentBuffer.Allocate(allocator, 3 * 4096);
            var view = buffer.Map();
            using var start = new Barrier(2);
            var unmapper = Task.Run(() =>
            {
                start.SignalAndWait();
                view.Unmap();
            });
            start.SignalAndWait();
            buffer.Dispose();
            await unmapper;
            Assert.Equal(Pages, allocator.Statistics.FreePages);
        }
    }

    [Fact]
    public async Task Mapping_a_buffer_racing_its_disposal_either_maps_live_pages_or_fails_and_never_loses_one()
    {
        using var allocator = Create();
        for (int round = 0; round < 300; round++)
        {
            var buffer = ExtentBuffer.Allocate(allocator, 2 * 4096);
            var folios = new[] { buffer.GetFolio(0), buffer.GetFolio(1) };
            using var start = new Barrier(2);
            var mapper = Task.Run(() =>
            {
                start.SignalAndWait();
                try
                {
                    using var view = allocator.Map(folios);
                    view.Span[8191] = 1;
                }
                catch (ObjectDisposedException)
                {
                }
            });
            start.SignalAndWait();
            buffer.Dispose();
            await mapper;
            Assert.Equal(Pages, allocator.Statistics.FreePages);
            Assert.Equal(0, allocator.Statistics.LiveMappings);
        }
    }

    /// <summary>Every disposable of the runtime, in every state a program can leave it in, disposes without a throw.</summary>
    [Fact]
    public void Every_Dispose_in_the_runtime_is_quiet_in_every_state()
    {
        var quiet = new List<Action>();
        foreach (var policy in Enum.GetValues<AllocationPolicy>())
        {
            var allocator = For(policy, trackLeaks: true);
            var mapped = Buffer(allocator, policy);
            var view = mapped.Map();
            var robbed = Buffer(allocator, policy, 4096);
            allocator.Free(robbed.GetFolio(0));
            var plain = Buffer(allocator, policy, 4096);
            var stream = plain.AsStream();
            var contiguous = allocator.AllocateContiguous(3 * 4096);
            var unmapped = allocator.Map([allocator.Allocate(0)]);
            unmapped.Unmap();
            var leaked = allocator.Map([allocator.Allocate(0)]);
            var shrinker = allocator.RegisterShrinker(_ => 0);
            quiet.AddRange(
            [
                mapped.Dispose, mapped.Dispose, robbed.Dispose, unmapped.Dispose, stream.Dispose, plain.Dispose, stream.Dispose,
                shrinker.Dispose, shrinker.Dispose, allocator.Dispose, allocator.Dispose, view.Dispose, view.Dispose,
                contiguous.Dispose, contiguous.Dispose, leaked.Dispose, leaked.Dispose,
            ]);
        }
        foreach (var dispose in quiet)
            Assert.Null(Record.Exception(dispose));
    }

    [Fact]
    public void No_public_Dispose_documents_an_exception()
    {
        var docs = XDocument.Load(Path.ChangeExtension(typeof(PageAllocator).Assembly.Location, ".xml"));
        var disposers = docs.Descendants("member")
            .Where(member => ((string)member.Attribute("name")!).EndsWith(".Dispose", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(disposers);
        Assert.All(disposers, member => Assert.Empty(member.Elements("exception")));
    }
}
