namespace Folios.Tests.Allocation;

/// <summary>The per-thread order-0 caches: fast reuse without merging, invisible to every guarantee the buddy lists give.</summary>
public class ThreadPageCacheTests
{
    private static PageAllocator Create(int pages, int maxOrder = 4, int reserve = 0) =>
        new(new PageAllocatorOptions { ArenaBytes = pages * 4096L, MaxOrder = maxOrder, ReservePages = reserve });

    [Fact]
    public void A_freed_page_is_reused_first_and_its_old_handle_stays_dead()
    {
        using var allocator = Create(pages: 1024, maxOrder: 10);
        var first = allocator.Allocate(0);
        allocator.Free(first);
        var second = allocator.Allocate(0);
        Assert.Equal(first.FirstPage, second.FirstPage);
        Assert.NotEqual(first.Generation, second.Generation);
        Assert.Throws<ObjectDisposedException>(() => first.Span.Length);
        Assert.Throws<InvalidOperationException>(() => allocator.Free(first));
        allocator.Free(second);
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
    public void A_high_order_request_gets_back_the_pages_parked_in_this_threads_cache()
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
        // Adjacent pages map as one run; a cached batch handed out in reverse would need one mmap per page.
        int ascending = pages.Zip(pages.Skip(1), (a, b) => b.FirstPage == a.FirstPage + 1 ? 1 : 0).Sum();
        Assert.True(ascending >= 6, $"Pages {string.Join(", ", pages.Select(p => p.FirstPage))} are not in ascending order.");
        foreach (var page in pages)
            allocator.Free(page);
    }

    [Fact]
    public void A_request_takes_back_the_pages_cached_by_another_thread_that_is_still_alive()
    {
        using var allocator = Create(pages: 1024, maxOrder: 10);
        using var parked = new ManualResetEventSlim();
        using var resume = new ManualResetEventSlim();
        int afterwards = -1;
        var owner = new Thread(() =>
        {
            var pages = Enumerable.Range(0, 40).Select(_ => allocator.Allocate(0)).ToList();
            foreach (var page in pages)
                allocator.Free(page); // into this thread's cache
            parked.Set();
            resume.Wait();
            // The claim is over: the cache serves again.
            var page2 = allocator.Allocate(0);
            afterwards = page2.FirstPage;
            allocator.Free(page2);
        });
        owner.Start();
        parked.Wait();
        var whole = allocator.Allocate(10); // needs every page, including the ones the idle owner caches
        Assert.Equal(1024 * 4096, whole.Length);
        allocator.Free(whole);
        resume.Set();
        owner.Join();
        Assert.InRange(afterwards, 0, 1023);
        Assert.Equal(1024, allocator.Statistics.FreePages);
        Assert.Equal(41, allocator.Statistics.AllocationsPerOrder[0]);
    }

    [Fact]
    public void A_thread_that_ends_gives_its_cached_pages_back_without_a_drain()
    {
        using var allocator = Create(pages: 1024, maxOrder: 10);
        var owner = new Thread(() =>
        {
            foreach (var page in Enumerable.Range(0, 40).Select(_ => allocator.Allocate(0)).ToList())
                allocator.Free(page);
        });
        owner.Start();
        owner.Join();
        Assert.Equal(1, allocator.ThreadCacheCount);
        for (int attempt = 0; attempt < 50 && allocator.ThreadCacheCount > 0; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.Equal(0, allocator.ThreadCacheCount);
        Assert.Equal(1024, allocator.FreePagesInBuddyLists);
    }

    [Fact]
    public void A_thread_using_more_allocators_than_it_caches_gives_the_oldest_cache_back()
    {
        var allocators = Enumerable.Range(0, 5).Select(_ => Create(pages: 1024, maxOrder: 10)).ToList();
        try
        {
            // The thread stays alive while the caches are counted: a dead thread's caches may go back at any moment.
            using var cached = new ManualResetEventSlim();
            using var counted = new ManualResetEventSlim();
            var thread = new Thread(() =>
            {
                foreach (var allocator in allocators)
                    allocator.Free(allocator.Allocate(0));
                cached.Set();
                counted.Wait();
            });
            thread.Start();
            try
            {
                Assert.True(cached.Wait(TimeSpan.FromMinutes(1)));
                Assert.Equal(0, allocators[0].ThreadCacheCount);
                Assert.Equal(1024, allocators[0].FreePagesInBuddyLists);
                Assert.All(allocators.Skip(1), allocator => Assert.Equal(1, allocator.ThreadCacheCount));
            }
            finally
            {
                counted.Set();
                thread.Join();
            }
        }
        finally
        {
            foreach (var allocator in allocators)
                allocator.Dispose();
        }
    }

    [Fact]
    public void Tiny_arenas_have_no_caches_so_every_page_stays_in_the_buddy_lists()
    {
        using var allocator = Create(pages: 16);
        var page = allocator.Allocate(0);
        allocator.Free(page);
        Assert.Equal(0, allocator.ThreadCacheCount);
        Assert.Equal(16, allocator.FreePagesInBuddyLists);
    }

    [Fact]
    public void Statistics_drained_while_threads_allocate_hand_no_page_out_twice()
    {
        using var allocator = Create(pages: 2048, maxOrder: 10);
        var owners = new int[2048];
        int duplicates = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        void Work(int id)
        {
            var held = new Queue<Folio>();
            while (!stop.IsCancellationRequested)
            {
                var page = allocator.Allocate(0);
                if (Interlocked.Exchange(ref owners[page.FirstPage], id) != 0)
                    Interlocked.Increment(ref duplicates);
                held.Enqueue(page);
                if (held.Count > 50)
                {
                    var old = held.Dequeue();
                    Volatile.Write(ref owners[old.FirstPage], 0);
                    allocator.Free(old);
                }
            }
            foreach (var page in held)
            {
                Volatile.Write(ref owners[page.FirstPage], 0);
                allocator.Free(page);
            }
        }
        var workers = new[] { new Thread(() => Work(1)), new Thread(() => Work(2)) };
        foreach (var worker in workers)
            worker.Start();
        int drains = 0;
        while (!stop.IsCancellationRequested)
        {
            Assert.InRange(allocator.Statistics.FreePages, 0, 2048);
            drains++;
        }
        foreach (var worker in workers)
            worker.Join();
        Assert.Equal(0, duplicates);
        Assert.True(drains > 10, $"Only {drains} drains ran.");
        Assert.Equal(2048, allocator.Statistics.FreePages);
    }
}
