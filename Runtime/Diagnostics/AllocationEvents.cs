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
