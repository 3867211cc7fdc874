using System.Runtime.CompilerServices;

namespace Folios;

public sealed partial class PageAllocator
{
    private long _fallbacks;

    /// <summary>
    /// Allocates <paramref name="length"/> contiguous bytes the way kvmalloc does: a folio with the caller's flags
    /// when that is reliable (one page, or order 1 with NoFail); otherwise one opportunistic folio attempt (no NoFail,
    /// no retry, no warning), else order-0 pages (honouring NoFail) mapped into one view.
    /// </summary>
    /// <exception cref="PageAllocationException">Neither a folio nor the pages could be allocated, or the pages could
    /// not be mapped; nothing stays allocated.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The length is not positive or its pages would exceed int.MaxValue bytes.</exception>
    /// <exception cref="ArgumentException">The flags are unknown or contradict each other.</exception>
    /// <exception cref="ObjectDisposedException">The allocator was disposed.</exception>
    public ContiguousBuffer AllocateContiguous(int length, AllocFlags flags = AllocFlags.None,
        [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0)
    {
        CheckBufferLength(length);
        ValidateFlags(flags);
        var folios = AllocateFolioOrMapped(length, flags, callerFilePath, callerLineNumber, out var mapping);
        return new ContiguousBuffer(this, length, folios, mapping);
    }

    /// <summary>
    /// The kvmalloc policy, for <see cref="AllocateContiguous"/> and <see cref="AllocationPolicy.FolioOrMapped"/>
    /// buffers alike: one folio when it is cheap, else order-0 pages and their view (<paramref name="mapping"/>).
    /// </summary>
    internal Folio[] AllocateFolioOrMapped(int length, AllocFlags flags, string callerFilePath, int callerLineNumber, out PageMapping? mapping)
    {
        mapping = null;
        int order = OrderForSize(length);
        if (order == 0 || (order <= MaxNoFailOrder && (flags & AllocFlags.NoFail) != 0))
            return [Allocate(order, flags, callerFilePath, callerLineNumber)];
        if (order <= MaxOrder && TryAllocate(order, OpportunisticFlags(flags), out var folio, callerFilePath, callerLineNumber))
            return [folio];
        var pages = ExtentBuffer.AllocatePages(this, length, flags);
        CountFallback(order, BufferLayout.Mapped);
        mapping = ExtentBuffer.MapOrFree(this, pages, flags);
        return pages;
    }

    /// <summary>The opportunistic high-order attempt: no NoFail, no retry, no failure report (as kvmalloc and SLUB do).</summary>
    internal static AllocFlags OpportunisticFlags(AllocFlags flags) =>
        (flags & ~(AllocFlags.NoFail | AllocFlags.RetryMayFail)) | AllocFlags.NoRetry | AllocFlags.NoWarn;

    /// <summary>A buffer got less than the folio it tried for: counted for <see cref="Statistics"/> and the meter.</summary>
    internal void CountFallback(int fromOrder, BufferLayout to)
    {
        Interlocked.Increment(ref _fallbacks);
        _metrics.CountFallback(fromOrder, to);
    }
}
