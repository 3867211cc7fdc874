namespace Folios.Tests.Allocation;

public class NoFailTests
{
    private static PageAllocator CreateExhaustedUnderFaults(out List<Folio> held, int reserve = 0)
    {
        var allocator = new PageAllocator(new PageAllocatorOptions
        {
            ArenaBytes = 32 * 4096,
            MaxOrder = 5,
            ReservePages = reserve,
            FaultInjection = new FailPageAlloc { Probability = 100, MinOrder = 0 },
        });
        held = [];
        var pages = new Folio[32];
        int filled = allocator.AllocatePages(pages, AllocFlags.NoFail);
        held.AddRange(pages.Take(filled));
        Assert.Equal(32, filled);
        Assert.Equal(0, allocator.Statistics.FreePages);
        return allocator;
    }

    /// <summary>A shrinker that gives back held pages, pairs of buddies first so that order 1 can form.</summary>
    private static Func<int, int> ShrinkerFreeing(PageAllocator allocator, List<Folio> held) => wanted =>
    {
        int freed = 0;
        while (freed < Math.Max(wanted, 2) && held.Count > 0)
        {
            var page = held[^1];
            held.RemoveAt(held.Count - 1);
            allocator.Free(page);
            freed++;
        }
        return freed;
    };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void NoFail_up_to_order_one_succeeds_under_full_fault_injection_in_an_exhausted_arena(int order)
    {
        using var allocator = CreateExhaustedUnderFaults(out var held);
        using var shrinker = allocator.RegisterShrinker(ShrinkerFreeing(allocator, held));

        var folio = allocator.Allocate(order, AllocFlags.NoFail);

        Assert.Equal(order, folio.Order);
        Assert.True(folio.IsAllocated);
        Assert.Equal(0, allocator.Statistics.NoFailOrderWarnings);
    }

    [Fact]
    public void Without_NoFail_the_same_request_is_failed_by_fault_injection()
    {
        using var allocator = CreateExhaustedUnderFaults(out var held);
        using var shrinker = allocator.RegisterShrinker(ShrinkerFreeing(allocator, held));
        var failure = Assert.Throws<PageAllocationException>(() => allocator.Allocate(1));
        Assert.Equal(AllocationFailureReason.FaultInjected, failure.Reason);
    }

    [Fact]
    public void NoFail_order_two_fails_there_and_is_reported_exactly_once_per_call_site()
    {
        using var allocator = CreateExhaustedUnderFaults(out var held);
        using var shrinker = allocator.RegisterShrinker(ShrinkerFreeing(allocator, held));
        var warnings = new List<NoFailOrderWarningEventArgs>();
        allocator.NoFailOrderWarning += (_, warning) => warnings.Add(warning);

        for (int attempt = 0; attempt < 3; attempt++)
        {
            var failure = Assert.Throws<PageAllocationException>(() => allocator.Allocate(2, AllocFlags.NoFail));
            Assert.Equal(AllocationFailureReason.FaultInjected, failure.Reason);
        }
        Assert.Throws<PageAllocationException>(() => allocator.Allocate(2, AllocFlags.NoFail)); // a second call site

        Assert.Equal(2, warnings.Count);
        Assert.Equal(2, allocator.Statistics.NoFailOrderWarnings);
        Assert.All(warnings, warning => Assert.Equal(2, warning.Order));
        Assert.NotEqual(warnings[0].CallerLineNumber, warnings[1].CallerLineNumber);
        Assert.EndsWith(nameof(NoFailTests) + ".cs", warnings[0].CallerFilePath);
    }

    [Fact]
    public async Task NoFail_waits_for_a_page_freed_by_another_thread()
    {
        using var allocator = CreateExhaustedUnderFaults(out var held);
        var freer = Task.Run(async () =>
        {
            await Task.Delay(50);
            allocator.Free(held[0]);
        });
        var folio = allocator.Allocate(0, AllocFlags.NoFail);
        Assert.Equal(held[0].FirstPage, folio.FirstPage);
        await freer;
    }

    [Fact]
    public void NoFail_draws_on_the_reserve_before_reclaim()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 16 * 4096, MaxOrder = 4, ReservePages = 2 });
        var ordinary = new Folio[16];
        Assert.Equal(14, allocator.AllocatePages(ordinary, AllocFlags.None));
        int shrinkerCalls = 0;
        using var shrinker = allocator.RegisterShrinker(_ => { shrinkerCalls++; return 0; });
        var pair = allocator.Allocate(1, AllocFlags.NoFail);
        Assert.Equal(1, pair.Order);
        Assert.Equal(1, allocator.Statistics.ReserveAllocations);
        Assert.Equal(0, shrinkerCalls);
    }

    [Fact]
    public void Costly_orders_are_not_retried_after_reclaim_unless_RetryMayFail()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 32 * 4096, MaxOrder = 5, ReservePages = 0 });
        var held = allocator.Allocate(5);
        int calls = 0;
        using var shrinker = allocator.RegisterShrinker(_ => ++calls <= 3 ? 1 : 0); // claims progress, frees nothing

        Assert.False(allocator.TryAllocate(4, AllocFlags.None, out _));
        Assert.Equal(1, calls);

        calls = 0;
        Assert.False(allocator.TryAllocate(4, AllocFlags.RetryMayFail, out _));
        Assert.Equal(4, calls); // retried while reclaim reported progress, then gave up

        calls = 0;
        Assert.False(allocator.TryAllocate(2, AllocFlags.NoRetry, out _));
        Assert.Equal(1, calls);

        calls = 0;
        Assert.False(allocator.TryAllocate(2, AllocFlags.NoWait, out _));
        Assert.Equal(0, calls);
        allocator.Free(held);
    }

    [Fact]
    public void Shrinker_registration_can_be_withdrawn()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 4 * 4096, MaxOrder = 2, ReservePages = 0 });
        var held = allocator.Allocate(2);
        int calls = 0;
        var registration = allocator.RegisterShrinker(_ => { calls++; return 0; });
        Assert.False(allocator.TryAllocate(0, AllocFlags.None, out _));
        registration.Dispose();
        Assert.False(allocator.TryAllocate(0, AllocFlags.None, out _));
        Assert.Equal(1, calls);
        allocator.Free(held);
    }

    [Fact]
    public void AllocationFailed_is_raised_unless_NoWarn()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 4 * 4096, MaxOrder = 2, ReservePages = 0 });
        var held = allocator.Allocate(2);
        var reports = new List<AllocationFailedEventArgs>();
        allocator.AllocationFailed += (_, e) => reports.Add(e);
        Assert.False(allocator.TryAllocate(0, AllocFlags.NoWarn, out _));
        Assert.Empty(reports);
        Assert.False(allocator.TryAllocate(1, AllocFlags.None, out _));
        var report = Assert.Single(reports);
        Assert.Equal(1, report.Order);
        Assert.Equal(AllocationFailureReason.ArenaExhausted, report.Reason);
        allocator.Free(held);
    }
}
