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
        AssertOption(error, "PageSize");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4096)]
    [InlineData(4097)]
    public void An_arena_size_that_is_not_a_positive_multiple_of_the_page_size_is_rejected(long bytes)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PageAllocator(new PageAllocatorOptions { ArenaBytes = bytes }));
        AssertOption(error, "ArenaBytes");
    }

    [Fact]
    public void Bad_fault_injection_knobs_are_rejected()
    {
        AssertOption(Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PageAllocator(new PageAllocatorOptions { FaultInjection = new FailPageAlloc { Probability = 101 } })), "FaultInjection.Probability");
        AssertOption(Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PageAllocator(new PageAllocatorOptions { FaultInjection = new FailPageAlloc { Interval = 0 } })), "FaultInjection.Interval");
        AssertOption(Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PageAllocator(new PageAllocatorOptions { FaultInjection = new FailPageAlloc { Times = -2 } })), "FaultInjection.Times");
        AssertOption(Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PageAllocator(new PageAllocatorOptions { ArenaBytes = 4096 * 4, ReservePages = 4 })), "ReservePages");
    }

    [Theory]
    [InlineData(4096, 19)]
    [InlineData(4096, 20)]
    [InlineData(65536, 15)]
    [InlineData(4096, -1)]
    [InlineData(4096, 63)]
    [InlineData(4096, 64)]
    [InlineData(4096, int.MaxValue)]
    [InlineData(65536, int.MaxValue)]
    [InlineData(4096, int.MinValue)]
    public void A_max_order_whose_folios_would_not_fit_an_int_is_rejected(int pageSize, int maxOrder)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PageAllocator(new PageAllocatorOptions { PageSize = pageSize, MaxOrder = maxOrder }));
        AssertOption(error, "MaxOrder");
    }

    [Fact]
    public void The_largest_max_order_gives_folios_of_one_gibibyte()
    {
        using var allocator = new PageAllocator(new PageAllocatorOptions { PageSize = 65536, MaxOrder = 14, ArenaBytes = 1L << 30, ReservePages = 0 });
        var folio = allocator.Allocate(14);
        Assert.Equal(1 << 30, folio.Length);
        allocator.Free(folio);
    }

    /// <summary>Every numeric option at its extremes: a working allocator or an argument exception naming the
    /// options, never an arithmetic overflow or a crash inside the constructor.</summary>
    [Theory]
    [MemberData(nameof(ExtremeOptions))]
    public void Every_numeric_option_at_its_extremes_is_accepted_or_rejected_as_an_argument(string property, object value)
    {
        var error = Record.Exception(() => new PageAllocator(WithOption(property, value)).Dispose());
        if (error is null)
            return;
        var rejected = Assert.IsAssignableFrom<ArgumentException>(error);
        Assert.Equal("options", rejected.ParamName);
        Assert.Contains("PageAllocatorOptions." + property, rejected.Message);
    }

    public static TheoryData<string, object> ExtremeOptions()
    {
        var cases = new TheoryData<string, object>();
        foreach (var property in typeof(PageAllocatorOptions).GetProperties().Concat(typeof(FailPageAlloc).GetProperties()))
        {
            string name = property.DeclaringType == typeof(FailPageAlloc) ? "FaultInjection." + property.Name : property.Name;
            object[] values = property.PropertyType == typeof(int) ? [int.MinValue, -1, 0, int.MaxValue]
                : property.PropertyType == typeof(long) ? [long.MinValue, -1L, 0L, long.MaxValue]
                : property.PropertyType == typeof(TimeSpan) ? [TimeSpan.MinValue, TimeSpan.Zero, TimeSpan.MaxValue]
                : [];
            foreach (var value in values)
                cases.Add(name, value);
        }
        return cases;
    }

    /// <summary>Default options with one property (or one of FaultInjection's) set through its init accessor.</summary>
    private static PageAllocatorOptions WithOption(string property, object value)
    {
        var options = new PageAllocatorOptions { FaultInjection = new FailPageAlloc() };
        object target = property.StartsWith("FaultInjection.", StringComparison.Ordinal) ? options.FaultInjection : options;
        target.GetType().GetProperty(property.Split('.')[^1])!.SetValue(target, value);
        return options;
    }

    [Fact]
    public void A_negative_nofail_timeout_is_rejected() =>
        AssertOption(Assert.Throws<ArgumentOutOfRangeException>(() => new PageAllocator(new PageAllocatorOptions { NoFailTimeout = TimeSpan.FromSeconds(-1) })), "NoFailTimeout");

    /// <summary>Options travel as the constructor's one parameter; the message names the property at fault.</summary>
    private static void AssertOption(ArgumentOutOfRangeException error, string property)
    {
        Assert.Equal("options", error.ParamName);
        Assert.Contains("PageAllocatorOptions." + property + " ", error.Message);
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
        Assert.Throws<ObjectDisposedException>(() => folio.Span.Length);
        Assert.False(folio.IsAllocated);
        allocator.Free(folio); // retires the handle: the memory went with the allocator
        Assert.Throws<InvalidOperationException>(() => allocator.Free(folio));
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
