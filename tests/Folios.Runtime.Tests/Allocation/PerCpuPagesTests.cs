namespace Folios.Tests.Allocation;

/// <summary>The per-CPU order-0 lists: fast reuse without merging, invisible to every guarantee the buddy lists give.</summary>
public class PerCpuPagesTests
{
    private static PageAllocator Create(int pages, int maxOrder = 4, int reserve = 0) =>
        new(new PageAllocatorOptions { ArenaBytes = pages * 4096L, MaxOrder = maxOrder, ReservePages = reserve });

    [Fact]
    public void A_freed_page_is_reused_first_and_its_old_handle_stays_dead()
    {
        using var allocator = Create(pages: 1024, maxOrder: 10);
        // Pin the thread to one CPU list for the two calls as far as the test can: retry when the CPU changed.
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var first = allocator.Allocate(0);
            allocator.Free(first);
            var second = allocator.Allocate(0);
            bool reused = second.FirstPage == first.FirstPage;
            Assert.Throws<ObjectDisposedException>(() => first.Span.Length);
            Assert.Throws<InvalidOperationException>(() => allocator.Free(first));
            allocator.Free(second);
            if (reused)
            {
                Assert.NotEqual(first.Generation, second.Generation);
                return;
            }
        }
        Assert.Fail("A freed order-0 page was never handed out again first.");
    }

    [Fact]
    public void Statistics_see_parked_pages_as_free_and_merged()
    {
        using var allocator = Create(pages: 1024, maxOrder: 10);
        var pages = Enumerable.Range(0, 200).Select(_ => allocator.Allocate(0)).ToList();
        foreach (var page in pages)
            allocator.Free(page);
        var stats = allocator.Statistics;
        Assert.Equal(1024, stats.FreePages);
        Assert.Equal(1, stats.FreeBlocksPerOrder[10]);
        Assert.Equal(200, stats.AllocationsPerOrder[0]);
    }

    [Fact]
    public void A_high_order_request_gets_back_the_pages_parked_on_per_cpu_lists()
    {
        using var allocator = Create(pages: 1024, maxOrder: 10);
        var pages = new Folio[1024];
        Assert.Equal(1024, allocator.AllocatePages(pages));
        foreach (var page in pages)
            allocator.Free(page);
        var whole = allocator.Allocate(10); // every page, parked or not
        Assert.Equal(1024 * 4096, whole.Length);
        allocator.Free(whole);
    }

    [Fact]
    public void Order_zero_allocations_without_NoFail_stop_at_the_reserve()
    {
        using var allocator = Create(pages: 1024, maxOrder: 10, reserve: 32);
        var taken = new List<Folio>();
        while (allocator.TryAllocate(0, AllocFlags.NoWarn, out var page))
            taken.Add(page);
        Assert.Equal(1024 - 32, taken.Count);
        var reserved = allocator.Allocate(0, AllocFlags.NoFail);
        Assert.Equal(1, allocator.Statistics.ReserveAllocations);
        allocator.Free(reserved);
        foreach (var page in taken)
            allocator.Free(page);
        Assert.Equal(1024, allocator.Statistics.FreePages);
    }

    [Fact]
    public void Of_two_threads_freeing_the_same_page_exactly_one_succeeds()
    {
        using var allocator = Create(pages: 1024, maxOrder: 10);
        for (int round = 0; round < 200; round++)
        {
            var page = allocator.Allocate(0);
            int failures = 0;
            using var start = new Barrier(2);
            void FreeIt()
            {
                start.SignalAndWait();
                try
                {
                    allocator.Free(page);
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
            var threads = new[] { new Thread(FreeIt), new Thread(FreeIt) };
            foreach (var thread in threads)
                thread.Start();
            foreach (var thread in threads)
                thread.Join();
            Assert.Equal(1, failures);
        }
        Assert.Equal(1024, allocator.Statistics.FreePages);
    }

    [Fact]
    public void Consecutive_order_zero_allocations_from_a_fresh_arena_are_adjacent_pages()
    {
        using var allocator = Create(pages: 1024, maxOrder: 10);
        var pages = Enumerable.Range(0, 8).Select(_ => allocator.Allocate(0)).ToList();
        // Adjacent pages map as one run; a per-CPU batch handed out in reverse would need one mmap per page.
        int ascending = pages.Zip(pages.Skip(1), (a, b) => b.FirstPage == a.FirstPage + 1 ? 1 : 0).Sum();
        Assert.True(ascending >= 6, $"Pages {string.Join(", ", pages.Select(p => p.FirstPage))} are not in ascending order.");
        foreach (var page in pages)
            allocator.Free(page);
    }
}
