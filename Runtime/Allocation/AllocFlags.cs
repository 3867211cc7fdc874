namespace Folios;

/// <summary>Modifiers of an allocation request, modelled on the kernel's GFP flags.</summary>
[Flags]
public enum AllocFlags
{
    /// <summary>An ordinary request: reclaim and retry while reclaim makes progress, then fail.</summary>
    None = 0,

    /// <summary>The request must not fail. Honoured only up to <see cref="PageAllocator.MaxNoFailOrder"/>.</summary>
    NoFail = 1 << 0,

    /// <summary>One light reclaim pass at most, then fail: the opportunistic high-order attempt.</summary>
    NoRetry = 1 << 1,

    /// <summary>Keep reclaiming while it makes progress, even for costly orders; may still fail.</summary>
    RetryMayFail = 1 << 2,

    /// <summary>Do not raise <see cref="PageAllocator.AllocationFailed"/> when the request fails.</summary>
    NoWarn = 1 << 3,

    /// <summary>Never reclaim or wait: take a free block or fail at once.</summary>
    NoWait = 1 << 4,

    /// <summary>Zero the memory before it is returned.</summary>
    Zero = 1 << 5,
}
