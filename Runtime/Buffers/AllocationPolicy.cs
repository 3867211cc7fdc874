namespace Folios;

/// <summary>How <see cref="ExtentBuffer.Allocate"/> obtains memory.</summary>
public enum AllocationPolicy
{
    /// <summary>Order-0 pages: reliable (NoFail holds), not contiguous. The default.</summary>
    Pages,

    /// <summary>One folio of the covering order: contiguous, but above order 1 it may fail even with NoFail.</summary>
    SingleFolio,

    /// <summary>One opportunistic folio attempt (NoRetry | NoWarn, without NoFail), then order-0 pages.</summary>
    FolioOrPages,

    /// <summary>The kvmalloc policy of <see cref="PageAllocator.AllocateContiguous"/>: a folio with the caller's flags
    /// when that is reliable (one page, or order 1 with NoFail); otherwise one opportunistic folio attempt, then
    /// order-0 pages mapped into one contiguous view.</summary>
    FolioOrMapped,
}

/// <summary>What memory an <see cref="ExtentBuffer"/> got.</summary>
public enum BufferLayout
{
    /// <summary>Separate order-0 pages.</summary>
    Pages,

    /// <summary>One contiguous folio.</summary>
    Folio,

    /// <summary>Order-0 pages seen through one contiguous mapping.</summary>
    Mapped,
}
