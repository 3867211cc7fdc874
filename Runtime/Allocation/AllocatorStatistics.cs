namespace Folios;

/// <summary>A snapshot of an allocator's state and counters.</summary>
public sealed class AllocatorStatistics
{
    internal AllocatorStatistics(int totalPages, int freePages, int[] freeBlocksPerOrder, long[] allocationsPerOrder,
        long[,] failuresPerOrderAndReason, long reserveAllocations, long noFailOrderWarnings, long fallbacks,
        int liveMappings, int mappedPages)
    {
        TotalPages = totalPages;
        FreePages = freePages;
        FreeBlocksPerOrder = freeBlocksPerOrder;
        AllocationsPerOrder = allocationsPerOrder;
        _failures = failuresPerOrderAndReason;
        ReserveAllocations = reserveAllocations;
        NoFailOrderWarnings = noFailOrderWarnings;
        Fallbacks = fallbacks;
        LiveMappings = liveMappings;
        MappedPages = mappedPages;
    }

    private readonly long[,] _failures;

    /// <summary>Pages in the arena.</summary>
    public int TotalPages { get; }

    /// <summary>Pages in free blocks.</summary>
    public int FreePages { get; }

    /// <summary>Pages handed out and not yet freed.</summary>
    public int AllocatedPages => TotalPages - FreePages;

    /// <summary>Free blocks per order (index = order), like /proc/buddyinfo.</summary>
    public IReadOnlyList<int> FreeBlocksPerOrder { get; }

    /// <summary>Successful allocations per order.</summary>
    public IReadOnlyList<long> AllocationsPerOrder { get; }

    /// <summary>NoFail requests that had to dip into the reserve pages.</summary>
    public long ReserveAllocations { get; }

    /// <summary>NoFail requests above order 1 that were reported (once per call site).</summary>
    public long NoFailOrderWarnings { get; }

    /// <summary>Buffers that fell back from a folio to order-0 pages or a mapping.</summary>
    public long Fallbacks { get; }

    /// <summary>Mappings not yet unmapped.</summary>
    public int LiveMappings { get; }

    /// <summary>Pages currently mapped by live mappings.</summary>
    public int MappedPages { get; }

    /// <summary>Failed requests of an order for a reason; 0 for an order the allocator does not have or an undefined reason.</summary>
    public long Failures(int order, AllocationFailureReason reason) =>
        order < 0 || order >= _failures.GetLength(0) || (uint)reason >= (uint)_failures.GetLength(1) ? 0 : _failures[order, (int)reason];

    /// <summary>All failed requests.</summary>
    public long TotalFailures
    {
        get
        {
            long sum = 0;
            foreach (long count in _failures)
                sum += count;
            return sum;
        }
    }
}
