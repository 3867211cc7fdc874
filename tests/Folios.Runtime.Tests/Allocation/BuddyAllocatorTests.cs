namespace Folios.Tests.Allocation;

public class BuddyAllocatorTests
{
    private static PageAllocator Create(int pages = 64, int maxOrder = 4, int reserve = 0) =>
        new(new PageAllocatorOptions { ArenaBytes = pages * 4096L, MaxOrder = maxOrder, ReservePages = reserve });

    [Fact]
    public void A_fresh_arena_is_one_free_block_per_max_order_slot()
    {
        using var allocator = Create(pages: 64, maxOrder: 4);
        var stats = allocator.Statistics;
        Assert.Equal(64, stats.TotalPages);
        Assert.Equal(64, stats.FreePages);
        Assert.Equal(4, stats.FreeBlocksPerOrder[4]);
        Assert.All(Enumerable.Range(0, 4), order => Assert.Equal(0, stats.FreeBlocksPerOrder[order]));
    }

    [Fact]
    public void An_arena_that_is_not_a_multiple_of_the_largest_block_is_split_into_aligned_blocks()
    {
        using var allocator = Create(pages: 21, maxOrder: 4);
        var blocks = allocator.Statistics.FreeBlocksPerOrder;
        Assert.Equal(1, blocks[4]); // pages 0..15
        Assert.Equal(1, blocks[2]); // pages 16..19
        Assert.Equal(1, blocks[0]); // page 20
        Assert.Equal(21, allocator.Statistics.FreePages);
    }

    [Fact]
    public void Allocating_order_zero_splits_the_largest_block_down_to_one_free_block_per_lower_order()
    {
        using var allocator = Create(pages: 16, maxOrder: 4);
        var folio = allocator.Allocate(0);
        var blocks = allocator.Statistics.FreeBlocksPerOrder;
        Assert.Equal(new[] { 1, 1, 1, 1, 0 }, blocks);
        allocator.Free(folio);
        Assert.Equal(new[] { 0, 0, 0, 0, 1 }, allocator.Statistics.FreeBlocksPerOrder);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Blocks_are_naturally_aligned(int order)
    {
        using var allocator = Create(pages: 64, maxOrder: 4);
        var folios = new List<Folio>();
        while (allocator.TryAllocate(order, AllocFlags.None, out var folio))
            folios.Add(folio);
        Assert.Equal(64 >> order, folios.Count);
        Assert.All(folios, folio => Assert.Equal(0, folio.FirstPage % (1 << order)));
        Assert.Equal(64, folios.Select(f => f.FirstPage).Distinct().Count() << order);
    }

    [Fact]
    public void Buddies_merge_back_into_the_largest_order_when_freed_in_any_order()
    {
        using var allocator = Create(pages: 16, maxOrder: 4);
        var folios = Enumerable.Range(0, 16).Select(_ => allocator.Allocate(0)).ToArray();
        foreach (var folio in folios.OrderBy(f => (f.FirstPage * 7) % 16))
            allocator.Free(folio);
        Assert.Equal(1, allocator.Statistics.FreeBlocksPerOrder[4]);
        Assert.Equal(16, allocator.Statistics.FreePages);
    }

    [Fact]
    public void Fragmentation_makes_order_one_fail_while_order_zero_succeeds_and_freeing_restores_max_order()
    {
        using var allocator = Create(pages: 64, maxOrder: 4);
        var pages = new List<Folio>();
        while (allocator.TryAllocate(0, AllocFlags.None, out var page))
            pages.Add(page);
        Assert.Equal(64, pages.Count);

        var everyOther = pages.Where(p => p.FirstPage % 2 == 0).ToList();
        foreach (var page in everyOther)
            allocator.Free(page);

        Assert.Equal(32, allocator.Statistics.FreePages);
        var failure = Assert.Throws<PageAllocationException>(() => allocator.Allocate(1));
        Assert.Equal(AllocationFailureReason.Fragmented, failure.Reason);
        Assert.Equal(1, failure.Order);
        Assert.False(allocator.TryAllocate(1, AllocFlags.None, out var none, out var reason));
        Assert.Equal(AllocationFailureReason.Fragmented, reason);
        Assert.Equal(default, none);
        var single = allocator.Allocate(0);
        Assert.Equal(0, single.Order);
        allocator.Free(single);

        foreach (var page in pages.Except(everyOther))
            allocator.Free(page);
        var whole = allocator.Allocate(4);
        Assert.Equal(16 * 4096, whole.Length);
    }

    [Fact]
    public void An_exhausted_arena_reports_exhaustion_not_fragmentation()
    {
        using var allocator = Create(pages: 8, maxOrder: 3);
        var all = allocator.Allocate(3);
        var failure = Assert.Throws<PageAllocationException>(() => allocator.Allocate(0));
        Assert.Equal(AllocationFailureReason.ArenaExhausted, failure.Reason);
        Assert.Contains("order-0", failure.Message);
        allocator.Free(all);
    }

    [Fact]
    public void Reserve_pages_are_kept_for_NoFail_requests()
    {
        using var allocator = Create(pages: 16, maxOrder: 4, reserve: 4);
        var ordinary = new List<Folio>();
        while (allocator.TryAllocate(0, AllocFlags.None, out var page))
            ordinary.Add(page);
        Assert.Equal(12, ordinary.Count);
        var fromReserve = allocator.Allocate(0, AllocFlags.NoFail);
        Assert.Equal(1, allocator.Statistics.ReserveAllocations);
        allocator.Free(fromReserve);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(4096, 0)]
    [InlineData(4097, 1)]
    [InlineData(8192, 1)]
    [InlineData(16384, 2)]
    [InlineData(16385, 3)]
    [InlineData(1 << 22, 10)]
    public void OrderForSize_rounds_up_to_a_power_of_two_pages(int bytes, int expected)
    {
        using var allocator = Create();
        Assert.Equal(expected, allocator.OrderForSize(bytes));
    }

    [Fact]
    public void OrderForSize_uses_the_page_size()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { PageSize = 16384, ArenaBytes = 16 * 16384, MaxOrder = 4 });
        Assert.Equal(0, allocator.OrderForSize(16384));
        Assert.Equal(2, allocator.OrderForSize(65536));
        Assert.Equal(14, allocator.PageShift);
    }

    [Fact]
    public void Zero_flag_clears_reused_memory()
    {
        using var allocator = Create(pages: 4, maxOrder: 2);
        var first = allocator.Allocate(2);
        first.Span.Fill(0xAB);
        allocator.Free(first);
        var dirty = allocator.Allocate(2);
        Assert.Equal(0xAB, dirty.Span[100]);
        allocator.Free(dirty);
        var zeroed = allocator.Allocate(2, AllocFlags.Zero);
        Assert.True(zeroed.Span.IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Folio_memory_is_distinct_per_folio()
    {
        using var allocator = Create();
        var a = allocator.Allocate(1);
        var b = allocator.Allocate(1);
        a.Span.Fill(1);
        b.Span.Fill(2);
        Assert.True(a.Span.IndexOfAnyExcept((byte)1) < 0);
        Assert.True(b.Span.IndexOfAnyExcept((byte)2) < 0);
        Assert.Equal(8192, a.Length);
        Assert.Equal(2, a.PageCount);
    }

    [Fact]
    public void Bulk_allocation_fills_what_it_can_and_returns_the_count()
    {
        using var allocator = Create(pages: 8, maxOrder: 3);
        var pages = new Folio[10];
        int filled = allocator.AllocatePages(pages, AllocFlags.None);
        Assert.Equal(8, filled);
        Assert.Equal(8, pages.Take(8).Select(p => p.FirstPage).Distinct().Count());
        Assert.False(pages[8].IsAllocated);
        foreach (var page in pages.Take(filled))
            allocator.Free(page);
        Assert.Equal(8, allocator.Statistics.FreePages);
    }

    [Fact]
    public void Statistics_count_allocations_and_failures_per_order_and_reason()
    {
        using var allocator = Create(pages: 8, maxOrder: 3);
        var a = allocator.Allocate(2);
        var b = allocator.Allocate(0);
        Assert.False(allocator.TryAllocate(2, AllocFlags.None, out _));
        var stats = allocator.Statistics;
        Assert.Equal(1, stats.AllocationsPerOrder[2]);
        Assert.Equal(1, stats.AllocationsPerOrder[0]);
        Assert.Equal(1, stats.Failures(2, AllocationFailureReason.ArenaExhausted));
        Assert.Equal(1, stats.TotalFailures);
        Assert.Equal(5, stats.AllocatedPages);
        allocator.Free(a);
        allocator.Free(b);
    }
}
