namespace Folios;

/// <summary>
/// A snapshot of a <see cref="FolioMemoryPool"/>'s counters. Taken while other threads rent and return, the counts
/// are each exact at some moment of the snapshot, not all at the same moment.
/// </summary>
public sealed class FolioMemoryPoolStatistics
{
    internal FolioMemoryPoolStatistics(long pageRents, long folioRents, long mappedRents, long returns,
        long outstandingPages, int pageSize, long useAfterReturn, long doubleReturns)
    {
        PageRents = pageRents;
        FolioRents = folioRents;
        MappedRents = mappedRents;
        Returns = returns;
        OutstandingPages = outstandingPages;
        OutstandingBytes = outstandingPages * pageSize;
        UseAfterReturn = useAfterReturn;
        DoubleReturns = doubleReturns;
    }

    /// <summary>Memory owners handed out.</summary>
    public long Rents => PageRents + FolioRents + MappedRents;

    /// <summary>Rents served by one order-0 page (requests up to a page).</summary>
    public long PageRents { get; }

    /// <summary>Rents served by one folio of 2 or more contiguous pages.</summary>
    public long FolioRents { get; }

    /// <summary>Rents served by order-0 pages mapped into one contiguous view (<see cref="AllocationPolicy.FolioOrMapped"/>
    /// when no folio was free).</summary>
    public long MappedRents { get; }

    /// <summary>Owners disposed (the first time), their memory given back.</summary>
    public long Returns { get; }

    /// <summary>Owners rented and not yet disposed.</summary>
    public long Outstanding => Rents - Returns;

    /// <summary>Pages held by owners not yet disposed.</summary>
    public long OutstandingPages { get; }

    /// <summary>Bytes held by owners not yet disposed (whole pages).</summary>
    public long OutstandingBytes { get; }

    /// <summary>Accesses to memory after its owner was disposed (<c>Memory.Span</c>, <c>Pin</c>, <c>owner.Memory</c>),
    /// each refused with <see cref="ObjectDisposedException"/>.</summary>
    public long UseAfterReturn { get; }

    /// <summary>Owners disposed a second time; each was ignored (the memory was already back) and reported through
    /// <see cref="FolioMemoryPool.DoubleReturn"/>.</summary>
    public long DoubleReturns { get; }
}
