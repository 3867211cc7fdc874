namespace Folios;

/// <summary>
/// Fault injection for the page allocator, mirroring the kernel's <c>fail_page_alloc</c>. A request is
/// eligible when its order is at least <see cref="MinOrder"/> and it is not a NoFail request; the knobs then
/// apply in the kernel's order: <see cref="Times"/>, <see cref="Space"/>, <see cref="Interval"/>,
/// <see cref="Probability"/>. With the defaults every eligible request fails.
/// </summary>
public sealed class FailPageAlloc
{
    /// <summary>Percent chance (0..100) that an eligible request fails; 0 disables injection.</summary>
    public int Probability { get; init; } = 100;

    /// <summary>Only every Interval-th eligible request may fail (1 = each one).</summary>
    public int Interval { get; init; } = 1;

    /// <summary>How many failures to inject in all; -1 means unlimited.</summary>
    public int Times { get; init; } = -1;

    /// <summary>A budget in pages that eligible requests consume without failing before injection starts.</summary>
    public int Space { get; init; }

    /// <summary>The smallest order eligible for injection (default 1: order-0 pages are never failed).</summary>
    public int MinOrder { get; init; } = 1;

    /// <summary>When set, requests with <see cref="AllocFlags.NoWait"/> are never failed by injection.</summary>
    public bool IgnoreNoWait { get; init; }

    /// <summary>Seed of the random source behind <see cref="Probability"/>, for reproducible runs.</summary>
    public int Seed { get; init; }

    internal void Validate()
    {
        if (Probability is < 0 or > 100)
            throw new ArgumentOutOfRangeException("options", Probability, "PageAllocatorOptions.FaultInjection.Probability must be between 0 and 100.");
        if (Interval < 1)
            throw new ArgumentOutOfRangeException("options", Interval, "PageAllocatorOptions.FaultInjection.Interval must be at least 1.");
        if (Times < -1)
            throw new ArgumentOutOfRangeException("options", Times, "PageAllocatorOptions.FaultInjection.Times must be -1 (unlimited) or a count of failures.");
        if (Space < 0)
            throw new ArgumentOutOfRangeException("options", Space, "PageAllocatorOptions.FaultInjection.Space must not be negative.");
        if (MinOrder < 0)
            throw new ArgumentOutOfRangeException("options", MinOrder, "PageAllocatorOptions.FaultInjection.MinOrder must not be negative.");
    }
}
