namespace Folios.Tests.Allocation;

public class FaultInjectionTests
{
    private static PageAllocator Create(FailPageAlloc faults) =>
        new(new PageAllocatorOptions { ArenaBytes = 256 * 4096, MaxOrder = 6, ReservePages = 0, FaultInjection = faults });

    /// <summary>Runs <paramref name="count"/> requests of <paramref name="order"/> and returns which ones failed.</summary>
    private static bool[] Failures(PageAllocator allocator, int count, int order = 1, AllocFlags flags = AllocFlags.None)
    {
        var failed = new bool[count];
        for (int i = 0; i < count; i++)
        {
            if (allocator.TryAllocate(order, flags, out var folio))
                allocator.Free(folio);
            else
                failed[i] = true;
        }
        return failed;
    }

    [Fact]
    public void Orders_below_MinOrder_are_never_failed()
    {
        using var allocator = Create(new FailPageAlloc { MinOrder = 2 });
        Assert.DoesNotContain(true, Failures(allocator, 20, order: 0));
        Assert.DoesNotContain(true, Failures(allocator, 20, order: 1));
        Assert.DoesNotContain(false, Failures(allocator, 20, order: 2));
    }

    [Fact]
    public void Default_MinOrder_spares_order_zero()
    {
        using var allocator = Create(new FailPageAlloc());
        Assert.DoesNotContain(true, Failures(allocator, 20, order: 0));
        Assert.DoesNotContain(false, Failures(allocator, 20, order: 1));
    }

    [Fact]
    public void NoFail_requests_are_never_failed()
    {
        using var allocator = Create(new FailPageAlloc { MinOrder = 0 });
        Assert.DoesNotContain(true, Failures(allocator, 20, order: 1, AllocFlags.NoFail));
    }

    [Fact]
    public void Times_limits_the_number_of_injected_failures()
    {
        using var allocator = Create(new FailPageAlloc { Times = 3 });
        Assert.Equal(new[] { true, true, true, false, false, false }, Failures(allocator, 6));
    }

    [Fact]
    public void Space_is_a_page_budget_consumed_before_injection_starts()
    {
        // Order 1 = 2 pages: space 5 allows two requests (5 -> 3 -> 1), then 1 is not > 2 and injection starts.
        using var allocator = Create(new FailPageAlloc { Space = 5 });
        Assert.Equal(new[] { false, false, true, true }, Failures(allocator, 4));
    }

    [Fact]
    public void Interval_fails_only_every_nth_eligible_request()
    {
        using var allocator = Create(new FailPageAlloc { Interval = 3 });
        Assert.Equal(new[] { false, false, true, false, false, true }, Failures(allocator, 6));
    }

    [Fact]
    public void Times_is_checked_before_space_and_interval()
    {
        using var allocator = Create(new FailPageAlloc { Times = 1, Interval = 2 });
        Assert.Equal(new[] { false, true, false, false }, Failures(allocator, 4));
    }

    [Fact]
    public void Probability_is_reproducible_with_a_seed_and_close_to_its_rate()
    {
        bool[] Run()
        {
            using var allocator = Create(new FailPageAlloc { Probability = 30, Seed = 42 });
            return Failures(allocator, 2000);
        }
        var first = Run();
        Assert.Equal(first, Run());
        int failed = first.Count(f => f);
        Assert.InRange(failed, 500, 700);
    }

    [Fact]
    public void Probability_zero_disables_injection()
    {
        using var allocator = Create(new FailPageAlloc { Probability = 0 });
        Assert.DoesNotContain(true, Failures(allocator, 20));
    }

    [Fact]
    public void IgnoreNoWait_spares_NoWait_requests()
    {
        using var allocator = Create(new FailPageAlloc { IgnoreNoWait = true });
        Assert.DoesNotContain(true, Failures(allocator, 10, flags: AllocFlags.NoWait));
        Assert.DoesNotContain(false, Failures(allocator, 10));
    }

    [Fact]
    public void Injected_failures_are_counted_with_their_reason()
    {
        using var allocator = Create(new FailPageAlloc { Times = 2 });
        Failures(allocator, 5);
        Assert.Equal(2, allocator.Statistics.Failures(1, AllocationFailureReason.FaultInjected));
    }
}
