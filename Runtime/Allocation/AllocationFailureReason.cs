namespace Folios;

/// <summary>Why an allocation request failed.</summary>
public enum AllocationFailureReason
{
    /// <summary>Fewer free pages remain than the request needs (the reserve is kept for NoFail requests).</summary>
    ArenaExhausted,

    /// <summary>Enough pages are free, but no free block of the requested order exists.</summary>
    Fragmented,

    /// <summary>Fault injection (<see cref="FailPageAlloc"/>) failed the request.</summary>
    FaultInjected,

    /// <summary>The request needs more pages than the whole arena has: it can never succeed, so it fails at once.</summary>
    LargerThanArena,

    /// <summary>
    /// A NoFail request waited for <see cref="PageAllocatorOptions.NoFailTimeout"/> without any page being freed or
    /// reclaimed: nothing else could make progress, so waiting longer would hang.
    /// </summary>
    NoProgress,

    /// <summary>The pages were allocated but could not be mapped: the mapping budget or the address space is exhausted.</summary>
    MappingExhausted,
}
