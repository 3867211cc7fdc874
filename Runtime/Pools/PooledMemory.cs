using System.Buffers;

namespace Folios;

/// <summary>
/// What a <see cref="FolioMemoryPool"/> hands out: the owner and the memory manager in one object, made per rent and
/// never reused, so a <see cref="Memory{T}"/> of it can never reach a later renter's pages. Disposed once, it gives
/// the memory back; afterwards <c>GetSpan</c> (and so <c>Span</c>, <c>Pin</c>, <c>Memory</c>) and <c>TryGetArray</c>
/// throw. A later disposal is a double return: counted and reported, never a second free.
/// </summary>
internal abstract class PooledMemory(FolioMemoryPool pool, BufferLayout layout, int pageCount) : CheckedMemory
{
    /// <summary>Set by the first disposal; read by every access.</summary>
    protected int _returned;

    protected FolioMemoryPool Pool { get; } = pool;

    public BufferLayout Layout { get; } = layout;

    public int PageCount { get; } = pageCount;

    /// <summary>The memory as an array segment, for <c>MemoryMarshal.TryGetArray</c>: only from an array-backed arena
    /// (<see cref="PageAllocatorOptions.ArrayBackedArena"/>).</summary>
    protected sealed override bool TryGetArray(out ArraySegment<byte> segment)
    {
        if (Volatile.Read(ref _returned) != 0)
            throw Pool.UseAfterReturn(this);
        return TryGetLiveArray(out segment);
    }

    protected virtual bool TryGetLiveArray(out ArraySegment<byte> segment)
    {
        segment = default;
        return false;
    }
}

/// <summary>A rented order-0 page or folio.</summary>
internal sealed unsafe class PooledFolio(FolioMemoryPool pool, Folio folio, BufferLayout layout) : PooledMemory(pool, layout, folio.PageCount)
{
    private readonly byte* _address = folio.Allocator!.AddressOf(folio);
    private readonly int _length = folio.Length;

    /// <summary>Checked twice: the owner's flag (a use after return), then the folio's generation and the allocator
    /// (<see cref="Folio.Span"/> throws what they say).</summary>
    public override Span<byte> GetSpan()
    {
        if (Volatile.Read(ref _returned) != 0)
            throw Pool.UseAfterReturn(this);
        return folio.Allocator!.IsLive(folio) ? new Span<byte>(_address, _length) : folio.Span;
    }

    protected override bool TryGetLiveArray(out ArraySegment<byte> segment) => Pool.Allocator.TryGetArray(folio, out segment);

    /// <summary>The folio's generation arbitrates: of two disposals (or two racing ones) exactly one frees it, and the
    /// other finds the generation moved on, whoever owns the page now. Nothing else can make Free throw here: no API
    /// maps a pooled folio, and after the allocator's disposal Free only retires the handle.</summary>
    protected override void Dispose(bool disposing)
    {
        Volatile.Write(ref _returned, 1);
        try
        {
            folio.Allocator!.Free(folio);
        }
        catch (InvalidOperationException)
        {
            Pool.DoubleReturned(this);
            return;
        }
        Pool.Returned(this);
    }
}

/// <summary>Order-0 pages rented through one contiguous view.</summary>
internal sealed class PooledMapping(FolioMemoryPool pool, Folio[] pages, PageMapping mapping)
    : PooledMemory(pool, BufferLayout.Mapped, mapping.PageCount)
{
    public override Span<byte> GetSpan() => Volatile.Read(ref _returned) == 0 ? mapping.Span : throw Pool.UseAfterReturn(this);

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _returned, 1) != 0)
        {
            Pool.DoubleReturned(this);
            return;
        }
        mapping.Dispose();
        Pool.Allocator.FreeAll(pages);
        Pool.Returned(this);
    }
}
