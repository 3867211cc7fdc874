namespace Folios;

public sealed partial class PageAllocator
{
    /// <summary>The allocator's side of the meter, for what is built on it (pools report to the same meter and name).</summary>
    internal AllocatorMetrics Metrics => _metrics;
}
