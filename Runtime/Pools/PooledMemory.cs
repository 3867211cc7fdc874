using System.Buffers;

namespace Folios;

/// <summary>
/// What a <see cref="FolioMemoryPool"/> hands out: the owner and the memory manager in one object, made per rent and
/// never reused, so a <see cref="Memory{T}"/> of it can never reach a later renter's pages. Disposed once, it gives
/// the memory back; afterwards <see cref="GetSpan"/> (and so <c>Span</c>, <c>Pin</c>, <c>Memory</c>) throws.
/// </summary>
internal abstract class PooledMemory(FolioMemoryPool pool, BufferLayout layout, int pageCount) : CheckedMemory
{
    private int _returned;

    protected FolioMemoryPool Pool { get; } = pool;

    public BufferLayout Layout { get; } = layout;

    public int PageCount { get; } = pageCount;

    public sealed override Span<byte> GetSpan() => Volatile.Read(ref _returned) == 0 ? LiveSpan() : throw Pool.UseAfterReturn(this);

    /// <summary>The memory as an array segment, for <c>MemoryMarshal.TryGetArray</c>: only from an array-backed arena
    /// (<see cref="PageAllocatorOptions.ArrayBackedArena"/>); after the return it throws as <see cref="GetSpan"/> does.</summary>
    protected sealed override bool TryGetArray(out ArraySegment<byte> segment)
    {
        if (Volatile.Read(ref _returned) != 0)
            throw Pool.UseAfterReturn(this);
        return TryGetLiveArray(out segment);
    }

    /// <summary>The memory, checked by its own handle too (a freed folio's generation, an unmapped view's state).</summary>
    protected abstract Span<byte> LiveSpan();

    protected virtual bool TryGetLiveArray(out ArraySegment<byte> segment)
    {
        segment = default;
        return false;
    }

    protected abstract void Release();

    /// <summary>The first disposal gives the memory back; a later one is a double return, counted and reported.</summary>
    protected sealed override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _returned, 1) != 0)
        {
            Pool.DoubleReturned(this);
            return;
        }
        Release();
        Pool.Returned(this);
    }
}

/// <summary>A rented order-0 page or folio.</summary>
internal sealed class PooledFolio(FolioMemoryPool pool, Folio folio, BufferLayout layout) : PooledMemory(pool, layout, folio.PageCount)
{
    protected override Span<byte> LiveSpan() => folio.Span;

    protected override bool TryGetLiveArray(out ArraySegment<byte> segment) => Pool.Allocator.TryGetArray(folio, out segment);

    // Never throws: the folio is this owner's alone (no API maps it) and after the allocator's disposal Free only
    // retires the handle.
    protected override void Release() => folio.Allocator!.Free(folio);
}

/// <summary>Order-0 pages rented through one contiguous view.</summary>
internal sealed class PooledMapping(FolioMemoryPool pool, Folio[] pages, PageMapping mapping)
    : PooledMemory(pool, BufferLayout.Mapped, mapping.PageCount)
{
    protected override Span<byte> LiveSpan() => mapping.Span;

    protected override void Release()
    {
        mapping.Dispose();
        ExtentBuffer.FreeAll(Pool.Allocator, pages);
    }
}
