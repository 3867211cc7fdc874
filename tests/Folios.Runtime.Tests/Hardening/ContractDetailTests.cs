using System.Diagnostics.Metrics;

namespace Folios.Tests.Hardening;

/// <summary>
/// What the mutation run found unchecked: the words of the errors users read, the mapping and fallback metrics,
/// and the edges of a few answers. Each assertion here kills mutants that survived the rest of the suite.
/// </summary>
public class ContractDetailTests
{
    private static PageAllocator Create(int pages = 16, FailPageAlloc? faults = null) =>
        new(new PageAllocatorOptions { ArenaBytes = 4096L * pages, MaxOrder = 4, ReservePages = 0, FaultInjection = faults });

    [Theory]
    [InlineData(AllocationFailureReason.ArenaExhausted, "too few free pages")]
    [InlineData(AllocationFailureReason.Fragmented, "fragmented")]
    [InlineData(AllocationFailureReason.FaultInjected, "fault injection")]
    [InlineData(AllocationFailureReason.LargerThanArena, "larger than the whole arena")]
    [InlineData(AllocationFailureReason.NoProgress, "NoFailTimeout")]
    [InlineData(AllocationFailureReason.MappingExhausted, "could not be mapped")]
    public void A_failure_says_the_order_the_pages_the_flags_and_why(AllocationFailureReason reason, string why)
    {
        var error = new PageAllocationException(3, AllocFlags.NoWarn, reason);
        Assert.Contains("order-3 folio (8 contiguous pages)", error.Message);
        Assert.Contains("NoWarn", error.Message);
        Assert.Contains(why, error.Message);
        Assert.Equal((3, AllocFlags.NoWarn, reason), (error.Order, error.Flags, error.Reason));
    }

    [Fact]
    public void Map_errors_name_what_is_wrong()
    {
        using var allocator = Create();
        using var other = Create();
        var freed = allocator.Allocate(0);
        allocator.Free(freed);
        Assert.Contains("at least one folio", Assert.Throws<ArgumentException>(() => allocator.Map([])).Message);
        Assert.Contains("default Folio", Assert.Throws<ArgumentException>(() => allocator.Map([default])).Message);
        Assert.Contains("another PageAllocator", Assert.Throws<ArgumentException>(() => allocator.Map([other.Allocate(0)])).Message);
        Assert.Contains("was freed", Assert.Throws<ObjectDisposedException>(() => allocator.Map([freed])).Message);
        Assert.Contains("default Folio", Assert.Throws<ArgumentException>(() => allocator.Free(default)).Message);
        Assert.Contains("default instance", Assert.Throws<InvalidOperationException>(() => default(Folio).Span.Length).Message);
        Assert.Contains("was freed", Assert.Throws<ObjectDisposedException>(() => freed.Span.Length).Message);
        Assert.Contains("must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => allocator.OrderForSize(0)).Message);
        Assert.Contains("Unknown allocation flags", Assert.Throws<ArgumentException>(() => allocator.Allocate(0, (AllocFlags)4096)).Message);
        Assert.Contains("NoFail contradicts NoWait", Assert.Throws<ArgumentException>(() => allocator.Allocate(0, AllocFlags.NoFail | AllocFlags.NoWait)).Message);
        Assert.Contains("Unknown allocation policy", Assert.Throws<ArgumentOutOfRangeException>(() => ExtentBuffer.Allocate(allocator, 4096, (AllocationPolicy)7)).Message);
        Assert.Contains("between 1 and", Assert.Throws<ArgumentOutOfRangeException>(() => allocator.AllocateContiguous(-1)).Message);
    }

    [Fact]
    public void Folio_handles_print_compare_and_hash_by_what_they_are()
    {
        using var allocator = Create();
        var folio = allocator.Allocate(1);
        var copy = folio;
        Assert.Equal("Folio(default)", default(Folio).ToString());
        Assert.Equal($"Folio(page {folio.FirstPage}, order 1)", folio.ToString());
        Assert.True(folio == copy);
        Assert.False(folio != copy);
        Assert.True(folio != default);
        Assert.Equal(folio.GetHashCode(), copy.GetHashCode());
        Assert.True(folio.Equals((object)copy));
        allocator.Free(folio);
    }

    [Fact]
    public void Failures_of_an_order_the_allocator_does_not_have_are_zero()
    {
        using var allocator = Create();
        var all = allocator.Allocate(4);
        Assert.False(allocator.TryAllocate(0, AllocFlags.NoWarn | AllocFlags.NoWait, out _));
        var statistics = allocator.Statistics;
        Assert.Equal(0, statistics.Failures(-1, AllocationFailureReason.ArenaExhausted));
        Assert.Equal(0, statistics.Failures(5, AllocationFailureReason.ArenaExhausted));
        Assert.Equal(0, statistics.Failures(0, (AllocationFailureReason)99)); // an undefined reason, not an IndexOutOfRangeException
        Assert.Equal(1, statistics.Failures(0, AllocationFailureReason.ArenaExhausted));
        allocator.Free(all);
    }

    [Fact]
    public void Pages_that_run_out_half_way_are_given_back_and_the_reason_is_the_arena()
    {
        using var allocator = Create(pages: 16);
        var held = new Folio[10];
        allocator.AllocatePages(held);
        var error = Assert.Throws<PageAllocationException>(() => ExtentBuffer.Allocate(allocator, 8 * 4096, AllocationPolicy.Pages, AllocFlags.None));
        Assert.Equal(AllocationFailureReason.ArenaExhausted, error.Reason);
        Assert.Contains("8 order-0 pages for 32768 bytes", error.Message);
        Assert.Equal(6, allocator.Statistics.FreePages);
        foreach (var folio in held)
            allocator.Free(folio);
    }

    [Fact]
    public void A_single_folio_buffer_may_use_the_highest_order_but_not_more()
    {
        using var allocator = Create(pages: 16);
        using (var whole = ExtentBuffer.Allocate(allocator, 16 * 4096, AllocationPolicy.SingleFolio, AllocFlags.None))
            Assert.Equal(BufferLayout.Folio, whole.Layout);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ExtentBuffer.Allocate(allocator, 17 * 4096, AllocationPolicy.SingleFolio, AllocFlags.None));
        Assert.Contains("above MaxOrder (4)", error.Message);
    }

    [Fact]
    public void A_contiguous_buffer_says_it_was_disposed_and_disposes_once()
    {
        using var allocator = Create();
        var buffer = allocator.AllocateContiguous(4096);
        buffer.Dispose();
        buffer.Dispose();
        Assert.Contains("contiguous buffer was disposed", Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length).Message);
        Assert.Equal(16, allocator.Statistics.FreePages);
    }
}
