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
}
