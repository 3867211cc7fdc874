namespace Folios;

/// <summary>An allocation request could not be satisfied.</summary>
public class PageAllocationException : Exception
{
    /// <summary>Creates the exception for a failed request.</summary>
    public PageAllocationException(int order, AllocFlags flags, AllocationFailureReason reason)
        : base($"Could not allocate an order-{order} folio ({1 << order} contiguous pages) with flags {flags}: {Describe(reason)}.")
    {
        Order = order;
        Flags = flags;
        Reason = reason;
    }

    /// <summary>The requested order.</summary>
    public int Order { get; }

    /// <summary>The flags of the request.</summary>
    public AllocFlags Flags { get; }

    /// <summary>Why the request failed.</summary>
    public AllocationFailureReason Reason { get; }

    private static string Describe(AllocationFailureReason reason) => reason switch
    {
        AllocationFailureReason.ArenaExhausted => "the arena has too few free pages left",
        AllocationFailureReason.Fragmented => "free memory is fragmented; no free block of that order exists (order-0 pages still may)",
        AllocationFailureReason.FaultInjected => "fault injection failed the request",
        _ => reason.ToString(),
    };
}
