using System.Buffers;
using System.Runtime.CompilerServices;

namespace Folios;

/// <summary>
/// A <see cref="MemoryPool{T}"/> of Folios pages, for System.IO.Pipelines (<c>PipeOptions.Pool</c>), Kestrel and any
/// other renter: a request up to one page gets an order-0 page, a larger one (by policy) a folio, order-0 pages
/// mapped into one contiguous view, or a refusal (pages only: pipelines then take larger segments elsewhere). Memory used after its owner's disposal throws
/// <see cref="ObjectDisposedException"/> instead of showing the next renter's data, a second disposal is counted and
/// reported (<see cref="DoubleReturn"/>), and the <see cref="FoliosMeter"/> instruments <c>folios.pool.*</c> count what
/// was rented. Thread-safe; the pool does not own its allocator.
/// </summary>
public sealed class FolioMemoryPool : MemoryPool<byte>
{
    private readonly PageAllocator _allocator;
    private readonly AllocationPolicy _largeBuffers;
    private readonly int _pageSize;
    private readonly PoolCounters _counters = new();
    private readonly PoolMetrics _metrics;
    private long _useAfterReturn;
    private long _doubleReturns;
    private int _disposed;

    /// <summary>Creates a pool over <paramref name="allocator"/>, which must outlive the memory rented from it.</summary>
    /// <param name="allocator">Where the pages come from.</param>
    /// <param name="largeBuffers">How a request above one page is served: <see cref="AllocationPolicy.FolioOrMapped"/>
    /// (the default: a folio when one is free, else order-0 pages mapped into one view, which needs Linux and a
    /// memfd arena), <see cref="AllocationPolicy.SingleFolio"/> (a folio or a <see cref="PageAllocationException"/>),
    /// or <see cref="AllocationPolicy.Pages"/> (not at all: <see cref="MaxBufferSize"/> is one page, as in Kestrel's
    /// own pool, and pipelines take larger segments from <see cref="ArrayPool{T}.Shared"/>).</param>
    /// <param name="owner">Who uses the pool, for the <c>folios.pool.owner</c> tag of its metrics.</param>
    /// <exception cref="ArgumentNullException">The allocator or the owner is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The policy is <see cref="AllocationPolicy.FolioOrPages"/> (its
    /// memory is not contiguous) or unknown.</exception>
    /// <exception cref="ObjectDisposedException">The allocator was disposed.</exception>
    public FolioMemoryPool(PageAllocator allocator, AllocationPolicy largeBuffers = AllocationPolicy.FolioOrMapped, string owner = "default")
    {
        ArgumentNullException.ThrowIfNull(allocator);
        ArgumentNullException.ThrowIfNull(owner);
        if (largeBuffers is not (AllocationPolicy.FolioOrMapped or AllocationPolicy.SingleFolio or AllocationPolicy.Pages))
            throw new ArgumentOutOfRangeException(nameof(largeBuffers), largeBuffers,
                "A pool hands out contiguous memory: use AllocationPolicy.FolioOrMapped, SingleFolio, or Pages (nothing above a page).");
        ObjectDisposedException.ThrowIf(allocator.IsDisposed, allocator);
        _allocator = allocator;
        _largeBuffers = largeBuffers;
        _pageSize = allocator.PageSize;
        Owner = owner;
        MaxBufferSize = largeBuffers == AllocationPolicy.Pages
            ? _pageSize
            : (int)(Math.Min(allocator.PageCount, 1L << allocator.MaxOrder) << allocator.PageShift);
        _metrics = new PoolMetrics(allocator.Metrics, owner);
    }

    /// <summary>
    /// The largest request: the allocator's largest folio (<see cref="PageAllocator.PageSize"/> × 2^<see cref="PageAllocator.MaxOrder"/>),
    /// or the whole arena when that is smaller; one page under <see cref="AllocationPolicy.Pages"/>. Pipelines rent
    /// from the pool up to this size and take larger segments from <see cref="ArrayPool{T}.Shared"/>.
    /// </summary>
    public override int MaxBufferSize { get; }

    /// <summary>The allocator the pages come from.</summary>
    public PageAllocator Allocator => _allocator;

    /// <summary>Who uses the pool (the <c>folios.pool.owner</c> metric tag).</summary>
    public string Owner { get; }

    /// <summary>How requests above one page are served.</summary>
    public AllocationPolicy LargeBufferPolicy => _largeBuffers;

    /// <summary>
    /// Raised when an owner is disposed a second time, on the thread that did it (a handler may capture its stack).
    /// The second disposal itself changes nothing and never throws; a handler that throws (a test that wants the
    /// bug to fail loudly) makes that <c>Dispose</c> throw.
    /// </summary>
    public event EventHandler<DoubleReturnEventArgs>? DoubleReturn;

    /// <summary>A snapshot of the pool's counters.</summary>
    public FolioMemoryPoolStatistics Statistics => new(
        _counters.Rents(BufferLayout.Pages), _counters.Rents(BufferLayout.Folio), _counters.Rents(BufferLayout.Mapped),
        _counters.Returns, _counters.OutstandingPages, _pageSize,
        Interlocked.Read(ref _useAfterReturn), Interlocked.Read(ref _doubleReturns));

    /// <summary>
    /// Rents memory of at least <paramref name="minBufferSize"/> bytes, in whole pages: one order-0 page up to
    /// <see cref="PageAllocator.PageSize"/> (also for 0 and for -1, the default size), else a folio of the covering
    /// order or mapped pages (see the constructor's policy). The memory is not cleared. Dispose the owner exactly once
    /// to give it back; after that, every <c>Span</c>, <c>Pin</c>, <c>Memory</c> or <c>MemoryMarshal.TryGetArray</c>
    /// of it throws <see cref="ObjectDisposedException"/>. <c>TryGetArray</c> succeeds only over an array-backed arena
    /// (<see cref="PageAllocatorOptions.ArrayBackedArena"/>), and an array segment, once taken, is not checked again. Up to order 1 the request is NoFail: when the arena is exhausted it
    /// waits for frees, up to <see cref="PageAllocatorOptions.NoFailTimeout"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is below -1 or above <see cref="MaxBufferSize"/>.</exception>
    /// <exception cref="PageAllocationException">No memory could be had (the arena is exhausted for
    /// NoFailTimeout, a folio above order 1 is not free under <see cref="AllocationPolicy.SingleFolio"/>, or the
    /// mapping budget is spent); nothing stays allocated.</exception>
    /// <exception cref="PlatformNotSupportedException">No folio was free for a request above one page, the policy is
    /// <see cref="AllocationPolicy.FolioOrMapped"/>, and pages cannot be mapped here (not Linux, or an array-backed
    /// arena).</exception>
    /// <exception cref="ObjectDisposedException">The pool or its allocator was disposed.</exception>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (Volatile.Read(ref _disposed) != 0)
            throw Disposed();
        if ((uint)(minBufferSize + 1) > (uint)(_pageSize + 1))
            return RentLarge(minBufferSize);
        var page = _allocator.Allocate(0, AllocFlags.NoFail);
        _counters.CountRent(BufferLayout.Pages, 1);
        _metrics.CountRent(_pageSize, BufferLayout.Pages);
        return new PooledFolio(this, page, BufferLayout.Pages);
    }

    /// <summary>Stops renting: <see cref="Rent"/> throws <see cref="ObjectDisposedException"/> from now on (a Rent
    /// racing this call either throws or returns a valid owner). Memory rented before stays valid until its owner
    /// is disposed, which still gives it back. Idempotent; the allocator stays the caller's.</summary>
    protected override void Dispose(bool disposing) => Volatile.Write(ref _disposed, 1);

    private PooledMemory RentLarge(int size)
    {
        if (size < -1 || size > MaxBufferSize)
            throw new ArgumentOutOfRangeException("minBufferSize", size,
                $"The size must be -1 (the default, one page) or between 0 and MaxBufferSize ({MaxBufferSize}).");
        PooledMemory owner;
        if (_largeBuffers == AllocationPolicy.SingleFolio)
        {
            int order = _allocator.OrderForSize(size);
            var folio = _allocator.Allocate(order, order <= PageAllocator.MaxNoFailOrder ? AllocFlags.NoFail : AllocFlags.None);
            owner = new PooledFolio(this, folio, BufferLayout.Folio);
        }
        else
        {
            var folios = _allocator.AllocateFolioOrMapped(size, AllocFlags.NoFail, "", 0, out var mapping);
            owner = mapping is null ? new PooledFolio(this, folios[0], BufferLayout.Folio) : new PooledMapping(this, folios, mapping);
        }
        _counters.CountRent(owner.Layout, owner.PageCount);
        _metrics.CountRent((long)owner.PageCount * _pageSize, owner.Layout);
        return owner;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Returned(PooledMemory owner)
    {
        _counters.CountReturn(owner.Layout, owner.PageCount);
        _metrics.CountReturn((long)owner.PageCount * _pageSize);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal ObjectDisposedException UseAfterReturn(PooledMemory owner)
    {
        Interlocked.Increment(ref _useAfterReturn);
        _metrics.CountUseAfterReturn();
        return new ObjectDisposedException(nameof(IMemoryOwner<byte>),
            $"This {owner.PageCount * _pageSize}-byte memory from a FolioMemoryPool was used after its owner was disposed; the pages may belong to another renter now.");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void DoubleReturned(PooledMemory owner)
    {
        Interlocked.Increment(ref _doubleReturns);
        _metrics.CountDoubleReturn();
        DoubleReturn?.Invoke(this, new DoubleReturnEventArgs(owner.PageCount * _pageSize, owner.Layout));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ObjectDisposedException Disposed() => new(nameof(FolioMemoryPool), $"This FolioMemoryPool ({Owner}) was disposed; it rents no more memory.");
}

/// <summary>An owner from a <see cref="FolioMemoryPool"/> was disposed a second time.</summary>
public sealed class DoubleReturnEventArgs : EventArgs
{
    internal DoubleReturnEventArgs(int length, BufferLayout layout)
    {
        Length = length;
        Layout = layout;
    }

    /// <summary>Bytes of the memory the owner held.</summary>
    public int Length { get; }

    /// <summary>What the memory was: a page, a folio or mapped pages.</summary>
    public BufferLayout Layout { get; }
}
