using System.Runtime.CompilerServices;

namespace Folios;

/// <summary>The allocations that buffers are made of: the kvmalloc policy, all-or-nothing order-0 pages for a
/// length, and their view.</summary>
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
        var pages = AllocatePagesFor(length, flags);
        CountFallback(order, BufferLayout.Mapped);
        mapping = MapOrFree(pages, flags);
        return pages;
    }

    /// <summary>Order-0 pages covering <paramref name="length"/>; all or nothing.</summary>
    internal Folio[] AllocatePagesFor(int length, AllocFlags flags)
    {
        var pages = new Folio[(int)(((long)length + PageSize - 1) >> PageShift)];
        string request = $"{pages.Length} order-0 pages for {length} bytes";
        if (pages.Length > PageCount)
            throw new PageAllocationException(request, 0, flags, AllocationFailureReason.LargerThanArena);
        int filled = AllocatePages(pages, flags);
        if (filled == pages.Length)
            return pages;
        FreeAll(pages.AsSpan(0, filled));
        var reason = (flags & AllocFlags.NoFail) != 0 ? AllocationFailureReason.NoProgress : AllocationFailureReason.ArenaExhausted;
        throw new PageAllocationException(request, 0, flags, reason);
    }

    /// <summary>Frees folios that no view maps any more: just allocated on an error path, or a pooled owner's own.</summary>
    internal void FreeAll(ReadOnlySpan<Folio> folios)
    {
        foreach (var folio in folios)
            Free(folio);
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

    /// <summary>Maps pages just allocated for a buffer; on any failure frees them, and a spent mapping budget or
    /// address space is reported as the allocation failure it is for the caller.</summary>
    private PageMapping MapOrFree(Folio[] pages, AllocFlags flags)
    {
        if (!OperatingSystem.IsLinux())
        {
            FreeAll(pages);
            throw new PlatformNotSupportedException("No folio was free, and order-0 pages can be mapped into one view only on Linux (memfd).");
        }
        try
        {
            return Map(pages);
        }
        catch (InvalidOperationException exhausted) when (exhausted is not ObjectDisposedException)
        {
            FreeAll(pages);
            throw new PageAllocationException($"a view of {pages.Length} order-0 pages", 0, flags, AllocationFailureReason.MappingExhausted);
        }
        catch
        {
            FreeAll(pages);
            throw;
        }
    }
}
