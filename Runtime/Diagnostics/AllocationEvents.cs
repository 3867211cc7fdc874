namespace Folios;

/// <summary>Raised once per call site when a NoFail request asks for more than <see cref="PageAllocator.MaxNoFailOrder"/>.</summary>
public sealed class NoFailOrderWarningEventArgs : EventArgs
{
    internal NoFailOrderWarningEventArgs(int order, AllocFlags flags, string callerFilePath, int callerLineNumber)
    {
        Order = order;
        Flags = flags;
        CallerFilePath = callerFilePath;
        CallerLineNumber = callerLineNumber;
    }

    /// <summary>The requested order.</summary>
    public int Order { get; }

    /// <summary>The flags as requested.</summary>
    public AllocFlags Flags { get; }

    /// <summary>The source file of the call site.</summary>
    public string CallerFilePath { get; }

    /// <summary>The line of the call site.</summary>
    public int CallerLineNumber { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"NoFail requested at order {Order} (above {PageAllocator.MaxNoFailOrder}) at {CallerFilePath}:{CallerLineNumber}; the request may fail.";
}

/// <summary>Raised when a request without <see cref="AllocFlags.NoWarn"/> fails.</summary>
public sealed class AllocationFailedEventArgs : EventArgs
{
    internal AllocationFailedEventArgs(int order, AllocFlags flags, AllocationFailureReason reason)
    {
        Order = order;
        Flags = flags;
        Reason = reason;
    }

    /// <summary>The requested order.</summary>
    public int Order { get; }

    /// <summary>The flags of the request.</summary>
    public AllocFlags Flags { get; }

    /// <summary>Why it failed.</summary>
    public AllocationFailureReason Reason { get; }
}

/// <summary>Why a live view is reported through <see cref="PageAllocator.LiveMappingReported"/>.</summary>
public enum LiveMappingReason
{
    /// <summary>The owner of pages the view maps let them go (an <see cref="ExtentBuffer"/> was disposed): they stay
    /// allocated until this view is unmapped.</summary>
    PagesReleased,

    /// <summary>The allocator was disposed while the view was mapped: it was never unmapped (a leak).</summary>
    AllocatorDisposed,
}

/// <summary>A view still mapped, reported with <see cref="PageAllocatorOptions.TrackLeaks"/>.</summary>
public sealed class LiveMappingEventArgs : EventArgs
{
    internal LiveMappingEventArgs(int pageCount, string creationStack, LiveMappingReason reason)
    {
        PageCount = pageCount;
        CreationStack = creationStack;
        Reason = reason;
    }

    /// <summary>Pages in the view.</summary>
    public int PageCount { get; }

    /// <summary>The stack that created the view.</summary>
    public string CreationStack { get; }

    /// <summary>Why it is reported.</summary>
    public LiveMappingReason Reason { get; }

    /// <inheritdoc/>
    public override string ToString() => Reason == LiveMappingReason.AllocatorDisposed
        ? $"A {PageCount}-page mapping was never unmapped before the allocator was disposed; it was mapped at:{Environment.NewLine}{CreationStack}"
        : $"A {PageCount}-page mapping keeps pages whose owner released them; they go back when it is unmapped. It was mapped at:{Environment.NewLine}{CreationStack}";
}
