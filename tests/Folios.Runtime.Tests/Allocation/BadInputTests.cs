namespace Folios.Tests.Allocation;

public class BadInputTests
{
    private static PageAllocator Create() => new(new PageAllocatorOptions { ArenaBytes = 16 * 4096, MaxOrder = 4 });

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    [InlineData(int.MaxValue)]
    public void An_order_outside_zero_to_MaxOrder_is_out_of_range(int order)
    {
        using var allocator = Create();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => allocator.Allocate(order));
        Assert.Equal("order", error.ParamName);
        Assert.Contains("MaxOrder (4)", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.TryAllocate(order, AllocFlags.None, out _));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(4095)]
    [InlineData(131072)]
    [InlineData(12288)]
    public void A_page_size_that_is_not_a_power_of_two_from_4K_to_64K_is_rejected(int pageSize)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PageAllocator(new PageAllocatorOptions { PageSize = pageSize }));
        Assert.Equal("PageSize", error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4096)]
    [InlineData(4097)]
    public void An_arena_size_that_is_not_a_positive_multiple_of_the_page_size_is_rejected(long bytes)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PageAllocator(new PageAllocatorOptions { ArenaBytes = bytes }));
        Assert.Equal("ArenaBytes", error.ParamName);
    }

    [Fact]
    public void Bad_fault_injection_knobs_are_rejected()
    {
        Assert.Equal("Probability", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PageAllocator(new PageAllocatorOptions { FaultInjection = new FailPageAlloc { Probability = 101 } })).ParamName);
        Assert.Equal("Interval", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PageAllocator(new PageAllocatorOptions { FaultInjection = new FailPageAlloc { Interval = 0 } })).ParamName);
        Assert.Equal("Times", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PageAllocator(new PageAllocatorOptions { FaultInjection = new FailPageAlloc { Times = -2 } })).ParamName);
        Assert.Equal("ReservePages", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PageAllocator(new PageAllocatorOptions { ArenaBytes = 4096 * 4, ReservePages = 4 })).ParamName);
    }

    [Theory]
    [InlineData(AllocFlags.NoFail | AllocFlags.NoWait)]
    [InlineData(AllocFlags.NoFail | AllocFlags.NoRetry)]
    [InlineData(AllocFlags.NoFail | AllocFlags.RetryMayFail)]
    public void NoFail_with_a_flag_that_gives_up_is_a_contradiction(AllocFlags flags)
    {
        using var allocator = Create();
        var error = Assert.Throws<ArgumentException>(() => allocator.Allocate(0, flags));
        Assert.Equal("flags", error.ParamName);
        Assert.Contains("contradicts", error.Message);
        Assert.Throws<ArgumentException>(() => allocator.AllocatePages(new Folio[1], flags));
        Assert.Equal(16, allocator.Statistics.FreePages);
    }

    [Fact]
    public void Unknown_flag_bits_are_rejected()
    {
        using var allocator = Create();
        Assert.Throws<ArgumentException>(() => allocator.Allocate(0, (AllocFlags)0x1000));
    }

    [Fact]
    public void Double_free_is_detected_and_leaves_the_accounting_intact()
    {
        using var allocator = Create();
        var folio = allocator.Allocate(1);
        allocator.Free(folio);
        var error = Assert.Throws<InvalidOperationException>(() => allocator.Free(folio));
        Assert.Contains("Double free", error.Message);
        Assert.Equal(16, allocator.Statistics.FreePages);
    }

    [Fact]
    public void A_stale_copy_cannot_free_the_block_after_it_was_reused()
    {
        using var allocator = Create();
        var stale = allocator.Allocate(0);
        allocator.Free(stale);
        var reused = allocator.Allocate(0);
        Assert.Equal(stale.FirstPage, reused.FirstPage);
        Assert.Throws<InvalidOperationException>(() => allocator.Free(stale));
        Assert.True(reused.IsAllocated);
        allocator.Free(reused);
    }

    [Fact]
    public void Use_after_free_throws_instead_of_exposing_reused_memory()
    {
        using var allocator = Create();
        var folio = allocator.Allocate(0);
        allocator.Free(folio);
        Assert.False(folio.IsAllocated);
        Assert.Throws<ObjectDisposedException>(() => folio.Span.Length);
    }

    [Fact]
    public void A_folio_of_another_allocator_is_rejected()
    {
        using var one = Create();
        using var other = Create();
        var folio = one.Allocate(0);
        var error = Assert.Throws<ArgumentException>(() => other.Free(folio));
        Assert.Contains("another PageAllocator", error.Message);
        Assert.True(folio.IsAllocated);
    }

    [Fact]
    public void A_default_folio_is_rejected()
    {
        using var allocator = Create();
        Assert.Throws<ArgumentException>(() => allocator.Free(default));
        Assert.Throws<InvalidOperationException>(() => default(Folio).Span.Length);
        Assert.Equal(0, default(Folio).Length);
    }

    [Fact]
    public void A_disposed_allocator_refuses_work_and_its_folios_are_stale()
    {
        var allocator = Create();
        var folio = allocator.Allocate(0);
        allocator.Dispose();
        Assert.Throws<ObjectDisposedException>(() => allocator.Allocate(0));
        Assert.Throws<ObjectDisposedException>(() => allocator.Free(folio));
        Assert.Throws<ObjectDisposedException>(() => folio.Span.Length);
        allocator.Dispose(); // idempotent
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void OrderForSize_rejects_non_positive_sizes(int bytes)
    {
        using var allocator = Create();
        Assert.Equal("bytes", Assert.Throws<ArgumentOutOfRangeException>(() => allocator.OrderForSize(bytes)).ParamName);
    }
}
