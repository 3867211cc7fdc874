using System.Runtime.CompilerServices;

namespace Folios;

public sealed partial class PageAllocator
{
    /// <summary>
    /// Allocates <paramref name="length"/> contiguous bytes the way kvmalloc does: one folio when it can be had
    /// cheaply (at most order 1 with the caller's flags, above that one opportunistic attempt without NoFail), else
    /// order-0 pages (honouring NoFail) mapped into one view.
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
        int order = OrderForSize(length);
        if (order <= MaxNoFailOrder)
            return new ContiguousBuffer(this, length, [Allocate(order, flags, callerFilePath, callerLineNumber)], null);
        if (order <= MaxOrder && TryAllocate(order, ExtentBuffer.OpportunisticFlags(flags), out var folio, callerFilePath, callerLineNumber))
            return new ContiguousBuffer(this, length, [folio], null);

        var pages = ExtentBuffer.AllocatePages(this, length, flags);
        CountFallback(order, "mapped");
        return new ContiguousBuffer(this, length, pages, ExtentBuffer.MapOrFree(this, pages, flags));
    }
}
