using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Folios;

/// <summary>
/// A fixed-size metadata block (a 16 KiB B-tree node, say) made of one folio, order-0 pages, or a mapped view of
/// pages. Access it through its helpers: they check the range first, touch nothing on a bad range, and split
/// every access that crosses a page.
/// </summary>
public sealed unsafe partial class ExtentBuffer : IDisposable
{
    private readonly PageAllocator _allocator;
    private readonly Folio[] _folios;
    private readonly nint[] _pageAddresses;
    private readonly int _pageShift;
    private readonly int _pageMask;
    private readonly PageMapping? _mapping;
    private readonly byte* _contiguous;
    private int _disposed;

    private ExtentBuffer(PageAllocator allocator, int length, Folio[] folios, BufferLayout layout, PageMapping? mapping)
    {
        _allocator = allocator;
        _folios = folios;
        Length = length;
        Layout = layout;
        _mapping = mapping;
        _pageShift = allocator.PageShift;
        _pageMask = allocator.PageSize - 1;
        _pageAddresses = new nint[folios.Length];
        for (int i = 0; i < folios.Length; i++)
            _pageAddresses[i] = (nint)allocator.AddressOf(folios[i]);
        _contiguous = layout switch
        {
            BufferLayout.Folio => (byte*)_pageAddresses[0],
            BufferLayout.Mapped => (byte*)Unsafe.AsPointer(ref mapping!.Span[0]),
            _ => null,
        };
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

        var pages = AllocatePages(allocator, length, flags);
        if (policy == AllocationPolicy.FolioOrPages)
            allocator.CountFallback(order, BufferLayout.Pages);
        return new ExtentBuffer(allocator, length, pages, BufferLayout.Pages, null);
    }

    /// <summary>Order-0 pages covering <paramref name="length"/>; all or nothing.</summary>
    internal static Folio[] AllocatePages(PageAllocator allocator, int length, AllocFlags flags)
    {
        var pages = new Folio[(int)(((long)length + allocator.PageSize - 1) >> allocator.PageShift)];
        string request = $"{pages.Length} order-0 pages for {length} bytes";
        if (pages.Length > allocator.PageCount)
            throw new PageAllocationException(request, 0, flags, AllocationFailureReason.LargerThanArena);
        int filled = allocator.AllocatePages(pages, flags);
        if (filled == pages.Length)
            return pages;
        FreeAll(allocator, pages.AsSpan(0, filled));
        var reason = (flags & AllocFlags.NoFail) != 0 ? AllocationFailureReason.NoProgress : AllocationFailureReason.ArenaExhausted;
        throw new PageAllocationException(request, 0, flags, reason);
    }

    /// <summary>Maps pages just allocated for a buffer; on any failure frees them, and a spent mapping budget or
    /// address space is reported as the allocation failure it is for the caller.</summary>
    internal static PageMapping MapOrFree(PageAllocator allocator, Folio[] pages, AllocFlags flags)
    {
        if (!OperatingSystem.IsLinux())
        {
            FreeAll(allocator, pages);
            throw new PlatformNotSupportedException("No folio was free, and order-0 pages can be mapped into one view only on Linux (memfd).");
        }
        try
        {
            return allocator.Map(pages);
        }
        catch (InvalidOperationException exhausted) when (exhausted is not ObjectDisposedException)
        {
            FreeAll(allocator, pages);
            throw new PageAllocationException($"a view of {pages.Length} order-0 pages", 0, flags, AllocationFailureReason.MappingExhausted);
        }
        catch
        {
            FreeAll(allocator, pages);
            throw;
        }
    }

    internal static void FreeAll(PageAllocator allocator, ReadOnlySpan<Folio> folios)
    {
        foreach (var folio in folios)
            allocator.Free(folio);
    }

    private static ExtentBuffer FromFolio(PageAllocator allocator, int length, Folio folio) =>
        new(allocator, length, [folio], BufferLayout.Folio, null);

    /// <summary>Maps the whole buffer into one contiguous view; unmap it exactly once, before disposing the buffer.</summary>
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
        return _folios.Length == 1 ? 0 : offset >> _pageShift;
    }

    /// <summary>The offset within its folio of a buffer offset (raw access: prefer the helpers).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset lies outside the buffer.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its allocator was disposed.</exception>
    [RawPageAccess]
    public int OffsetInFolio(int offset)
    {
        CheckRange(offset, 1, lengthName: nameof(offset));
        return _folios.Length == 1 ? offset : offset & _pageMask;
    }

    /// <summary>
    /// Unmaps the buffer's own view (if any) and frees its memory. Idempotent; after the allocator's disposal it
    /// only retires the buffer. Not to be called while another thread still uses the buffer.
    /// </summary>
    /// <exception cref="InvalidOperationException">A view from <see cref="Map"/> still maps the buffer's pages: nothing
    /// was freed and the buffer stays usable; unmap the view, then dispose again.</exception>
    public void Dispose()
    {
        if (Volatile.Read(ref _disposed) != 0)
            return;
        if (!_allocator.IsDisposed && _allocator.MappedElsewhere(_folios, _mapping))
            throw new InvalidOperationException($"Cannot dispose this {Length}-byte extent buffer: a mapping from Map() still maps its pages. Unmap it first; nothing was freed.");
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _mapping?.Dispose();
        FreeAll(_allocator, _folios);
    }

    /// <summary>The address of a byte of the buffer: the one place that turns an offset into memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte* AddressAt(int offset) => _contiguous != null
        ? _contiguous + offset
        : (byte*)Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_pageAddresses), offset >> _pageShift) + (offset & _pageMask);

    /// <summary>The longest piece of [offset, offset + length) that is one block of memory: the rest of the page and
    /// every following page that lies right after it in the arena (neighbours there are contiguous memory).</summary>
    internal Span<byte> SegmentAt(int offset, int length)
    {
        if (_contiguous != null)
            return new Span<byte>(_contiguous + offset, length);
        int page = offset >> _pageShift;
        int pageSize = _pageMask + 1;
        int run = pageSize - (offset & _pageMask);
        while (run < length && _pageAddresses[page + 1] == _pageAddresses[page] + pageSize)
        {
            run += pageSize;
            page++;
        }
        return new Span<byte>(AddressAt(offset), Math.Min(length, run));
    }

    internal PageSegments Segments(int offset, int length) => new(this, offset, length);

    /// <summary>Checks a range before any memory is touched; the exception names the caller's parameter at fault.
    /// Inlined, with the exceptions built out of line, so a helper's fast path pays a few compares and no call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckRange(int offset, int length, string offsetName = "offset", string lengthName = "length")
    {
        if (!IsLiveRange(offset, length))
            ThrowBadRange(offset, length, offsetName, lengthName);
    }

    /// <summary>The buffer and its allocator are alive and [offset, offset + length) lies inside the buffer (a negative
    /// offset or length turns into a huge unsigned value, so one compare covers all three bounds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsLiveRange(int offset, int length) =>
        (ulong)(uint)offset + (uint)length <= (uint)Length && Volatile.Read(ref _disposed) == 0 && !_allocator.IsDisposed;

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadRange(int offset, int length, string offsetName, string lengthName)
    {
        ThrowIfDisposed();
        string parameter = offset < 0 || offset > Length ? offsetName : lengthName;
        throw new ArgumentOutOfRangeException(parameter,
            $"The range at offset {offset} with length {length} is outside the buffer of length {Length}.");
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
            throw new ObjectDisposedException(nameof(ExtentBuffer), $"This {Length}-byte extent buffer was disposed; its pages were freed.");
        if (_allocator.IsDisposed)
            throw new ObjectDisposedException(nameof(ExtentBuffer), $"The allocator of this {Length}-byte extent buffer was disposed, and its memory with it.");
    }
}
