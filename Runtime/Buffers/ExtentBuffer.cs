using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Versioning;

namespace Folios;

/// <summary>
/// A fixed-size metadata block (a 16 KiB B-tree node, say) made of one folio, order-0 pages, or a mapped view of
/// pages. Access it through its helpers: they check the range first, touch nothing on a bad range, and split
/// every access that crosses a page.
/// </summary>
/// <remarks>
/// One range rule holds for every helper: [offset, offset + length) must lie in the buffer, so an empty range may sit
/// anywhere from 0 to <see cref="Length"/> (inclusive) and does nothing; bit ranges follow the same rule counted in
/// bits. A bad range names the offset when the range starts outside the buffer, else the length; of two ranges that
/// share one length (<see cref="CopyFrom(ExtentBuffer, int, int, int)"/>, <see cref="Move"/>) the length is named only
/// when it fits no offset.
/// </remarks>
public sealed partial class ExtentBuffer : IDisposable
{
    private readonly PageAllocator _allocator;
    private readonly Folio[] _folios;
    private readonly PageMapping? _mapping;
    private readonly PageAddressing _memory;
    private int _disposed;

    private ExtentBuffer(PageAllocator allocator, int length, Folio[] folios, BufferLayout layout, PageMapping? mapping)
    {
        _allocator = allocator;
        _folios = folios;
        Length = length;
        Layout = layout;
        _mapping = mapping;
        _memory = new PageAddressing(allocator, folios, mapping);
    }

    /// <summary>Bytes in the buffer.</summary>
    public int Length { get; }

    /// <summary>What memory the buffer got.</summary>
    public BufferLayout Layout { get; }

    /// <summary>The allocator the memory came from.</summary>
    public PageAllocator Allocator => _allocator;

    /// <summary>
    /// Allocates a buffer of <paramref name="length"/> bytes. The default, order-0 pages with NoFail, fails only when
    /// the arena is too small for the buffer or nothing is freed for <see cref="PageAllocatorOptions.NoFailTimeout"/>;
    /// <see cref="AllocationPolicy.SingleFolio"/> above order 1 may fail whatever the flags say.
    /// </summary>
    /// <exception cref="PageAllocationException">The memory could not be allocated (or, for
    /// <see cref="AllocationPolicy.FolioOrMapped"/>, not mapped); nothing stays allocated.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The length is not positive, its pages would exceed int.MaxValue
    /// bytes, or a single folio would exceed MaxOrder; or the policy is unknown.</exception>
    /// <exception cref="ArgumentException">The flags are unknown or contradict each other.</exception>
    /// <exception cref="ObjectDisposedException">The allocator was disposed.</exception>
    public static ExtentBuffer Allocate(PageAllocator allocator, [AllocationSize] int length,
        AllocationPolicy policy = AllocationPolicy.Pages, AllocFlags flags = AllocFlags.NoFail,
        [CallerFilePath] string callerFilePath = "", [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        allocator.CheckBufferLength(length);
        if (!Enum.IsDefined(policy))
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown allocation policy.");
        PageAllocator.ValidateFlags(flags);
        int order = allocator.OrderForSize(length);
        if (order > allocator.MaxOrder && policy == AllocationPolicy.SingleFolio)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A single folio of {length} bytes needs order {order}, above MaxOrder ({allocator.MaxOrder}).");

        if (policy == AllocationPolicy.SingleFolio)
            return FromFolio(allocator, length, allocator.Allocate(order, flags, callerFilePath, callerLineNumber));
        if (policy == AllocationPolicy.FolioOrMapped)
        {
            var folios = allocator.AllocateFolioOrMapped(length, flags, callerFilePath, callerLineNumber, out var mapping);
            return mapping is null ? FromFolio(allocator, length, folios[0]) : new ExtentBuffer(allocator, length, folios, BufferLayout.Mapped, mapping);
        }
        if (policy == AllocationPolicy.FolioOrPages && order <= allocator.MaxOrder
            && allocator.TryAllocate(order, PageAllocator.OpportunisticFlags(flags), out var folio, callerFilePath, callerLineNumber))
            return FromFolio(allocator, length, folio);

        var pages = allocator.AllocatePagesFor(length, flags);
        if (policy == AllocationPolicy.FolioOrPages)
            allocator.CountFallback(order, BufferLayout.Pages);
        return new ExtentBuffer(allocator, length, pages, BufferLayout.Pages, null);
    }

    private static ExtentBuffer FromFolio(PageAllocator allocator, int length, Folio folio) =>
        new(allocator, length, [folio], BufferLayout.Folio, null);

    /// <summary>Maps the whole buffer into one contiguous view; unmap it exactly once. The view holds the buffer's pages:
    /// if the buffer is disposed first, they stay allocated (and the view usable) until the view is unmapped.</summary>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    /// <exception cref="InvalidOperationException">The mapping budget or the address space is exhausted.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    [MapsPages]
    [SupportedOSPlatform("linux")]
    public PageMapping Map()
    {
        ThrowIfDisposed();
        return _allocator.Map(_folios);
    }

    /// <summary>Folios backing the buffer (raw access: prefer the helpers).</summary>
    [RawPageAccess]
    public int FolioCount => _folios.Length;

    /// <summary>A folio backing the buffer; it may cover only part of it (raw access: prefer the helpers).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not that of one of the buffer's folios.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [RawPageAccess]
    public Folio GetFolio(int index)
    {
        ThrowIfDisposed();
        if ((uint)index >= (uint)_folios.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The buffer has {_folios.Length} folio(s).");
        return _folios[index];
    }

    /// <summary>The index of the folio holding a buffer offset (raw access: prefer the helpers).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset lies outside the buffer.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [RawPageAccess]
    public int FolioIndex(int offset)
    {
        CheckRange(offset, 1, lengthName: nameof(offset));
        return _folios.Length == 1 ? 0 : _memory.PageIndex(offset);
    }

    /// <summary>The offset within its folio of a buffer offset (raw access: prefer the helpers).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset lies outside the buffer.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [RawPageAccess]
    public int OffsetInFolio(int offset)
    {
        CheckRange(offset, 1, lengthName: nameof(offset));
        return _folios.Length == 1 ? offset : _memory.OffsetInPage(offset);
    }

    /// <summary>
    /// Unmaps the buffer's own view (if any) and gives its pages back; never throws. Pages that a view from
    /// <see cref="Map"/> still maps stay allocated, and usable through that view, until its unmap gives them back (the
    /// view holds a reference to them, as in the kernel); with <see cref="PageAllocatorOptions.TrackLeaks"/> each
    /// such view is reported through <see cref="PageAllocator.LiveMappingReported"/>. Idempotent; after the allocator's
    /// disposal it only retires the buffer. Not to be called while another thread still uses the buffer.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _mapping?.Dispose();
        _allocator.ReleaseAll(_folios);
    }

    /// <summary>
    /// The range rule of every helper: the buffer and its allocator are alive and [offset, offset + length) lies in the
    /// buffer, so an empty range may sit anywhere from the start to the end (offset == Length included). On a bad range
    /// the exception names the parameter at fault: the offset when the range starts outside the buffer (see
    /// <see cref="StartsOutside"/>), else the length. Inlined, with the exceptions built out of line, so a helper's fast
    /// path pays a few compares and no call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckRange(int offset, int length, string offsetName = "offset", string lengthName = "length")
    {
        if (!IsLiveRange(offset, length))
            ThrowBadRange(offset, length, offsetName, lengthName);
    }

    /// <summary>One of two ranges that share a length (<see cref="CopyFrom(ExtentBuffer, int, int, int)"/>,
    /// <see cref="Move"/>): a length that fits the buffer at some offset is not at fault, so a range that does not fit
    /// names its offset.</summary>
    private void CheckRangeOfTwo(int offset, int length, string offsetName) =>
        CheckRange(offset, length, offsetName, (uint)length <= (uint)Length ? offsetName : nameof(length));

    /// <summary>The buffer and its allocator are alive and [offset, offset + length) lies inside the buffer (a negative
    /// offset or length turns into a huge unsigned value, so one compare covers all three bounds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsLiveRange(int offset, int length) =>
        (ulong)(uint)offset + (uint)length <= (uint)Length && Volatile.Read(ref _disposed) == 0 && !_allocator.IsDisposed;

    /// <summary>Whether a range of <paramref name="size"/> elements starts outside them: its first element lies outside
    /// (an empty range may start at the end).</summary>
    private static bool StartsOutside(long offset, long length, long size) => offset < 0 || offset > size || (offset == size && length > 0);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadRange(int offset, int length, string offsetName, string lengthName)
    {
        ThrowIfDisposed();
        throw new ArgumentOutOfRangeException(StartsOutside(offset, length, Length) ? offsetName : lengthName,
            $"The range at offset {offset} with length {length} is outside the buffer of length {Length}.");
    }

    /// <summary>
    /// The bytes that bits [position, position + count) of the bitmap at byte <paramref name="start"/> touch, checked
    /// by the range rule counted in bits: a range of no bits may sit at the buffer's end. The exception names the start
    /// or the position when the first bit lies outside, else the count.
    /// </summary>
    private (int Offset, int Length) BitRange(int start, int position, int count, string positionName, string countName)
    {
        long first = start * 8L + position;
        long firstByte = first >> 3, byteCount = ((first + count + 7) >> 3) - firstByte;
        if ((start | position | count) >= 0 && firstByte <= Length && IsLiveRange((int)firstByte, (int)byteCount))
            return ((int)firstByte, (int)byteCount);
        throw BadBitRange(start, position, count, positionName, countName);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ArgumentOutOfRangeException BadBitRange(int start, int position, int count, string positionName, string countName)
    {
        ThrowIfDisposed();
        string parameter = StartsOutside(start, count, Length) ? nameof(start)
            : position < 0 || StartsOutside(start * 8L + position, count, Length * 8L) ? positionName
            : countName;
        return new ArgumentOutOfRangeException(parameter,
            $"{count} bit(s) from bit {position} of the bitmap at offset {start} do not fit the buffer of length {Length}.");
    }

    /// <summary>Neither the buffer nor its allocator was disposed.</summary>
    internal bool IsLive => Volatile.Read(ref _disposed) == 0 && !_allocator.IsDisposed;

    internal void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
            throw new ObjectDisposedException(nameof(ExtentBuffer), $"This {Length}-byte extent buffer was disposed; its pages were freed.");
        if (_allocator.IsDisposed)
            throw new ObjectDisposedException(nameof(ExtentBuffer), $"The allocator of this {Length}-byte extent buffer was disposed, and its memory with it.");
    }
}
