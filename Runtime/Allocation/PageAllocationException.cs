namespace Folios;

/// <summary>An allocation request could not be satisfied.</summary>
public class PageAllocationException : Exception
{
    /// <summary>Creates the exception for a failed request.</summary>
    public PageAllocationException(int order, AllocFlags flags, AllocationFailureReason reason)
        : this($"an order-{order} folio ({1 << order} contiguous pages)", order, flags, reason)
    {
    }

    /// <summary>For a request of several folios, described by <paramref name="request"/> (e.g. the pages of a buffer).</summary>
    internal PageAllocationException(string request, int order, AllocFlags flags, AllocationFailureReason reason)
        : base($"Could not allocate {request} with flags {flags}: {Describe(reason)}.")
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
        AllocationFailureReason.LargerThanArena => "the request is larger than the whole arena and can never succeed",
        AllocationFailureReason.NoProgress => "NoFail gave up: no page was freed or reclaimed within PageAllocatorOptions.NoFailTimeout",
        AllocationFailureReason.MappingExhausted => "the pages could not be mapped: the mapping budget (MaxMappedPages) or the address space is exhausted",
        _ => reason.ToString(),
    };
}
