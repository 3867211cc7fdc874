using System.Buffers;

namespace Folios;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that writes into order-0 pages, taking a new page whenever the last one is full:
/// for <c>Utf8JsonWriter</c>, serializers and protocol encoders whose output should live in Folios memory. The bytes
/// written lie back to back across the pages, read as a <see cref="ReadOnlySequence{T}"/> (<see cref="AsSequence"/>)
/// or handed over whole as an <see cref="ExtentBuffer"/> (<see cref="DetachExtentBuffer"/>). A span that would have to
/// cross a page (a size hint larger than what is left of the page) is staged in a scratch array and copied into the
/// pages at <see cref="Advance"/>. <see cref="Reset"/> and <see cref="Dispose"/> give the pages back. Not thread-safe.
/// </summary>
public sealed class PageBufferWriter : IBufferWriter<byte>, IDisposable
{
    private readonly PageAllocator _allocator;
    /// <summary>The flags of every page allocation.</summary>
    private readonly AllocFlags _flags;
    private readonly int _pageSize;
    private readonly int _pageShift;
    private Page[] _pages = new Page[4];
    private int _pageCount;
    /// <summary>Pages, from the first, that have their sequence segment.</summary>
    private int _segmentCount;
    private long _written;
    /// <summary>Bytes of the last span or memory handed out that may still be advanced over.</summary>
    private int _given;
    /// <summary>The last span handed out is the scratch array (from <see cref="_scratchOffset"/>), not a page.</summary>
    private bool _staged;
    private byte[]? _scratch;
    private int _scratchOffset;
    private bool _disposed;

    /// <summary>Creates an empty writer; it takes no page until the first write.</summary>
    /// <param name="allocator">Where the pages come from.</param>
    /// <param name="noFail">Take each page with <see cref="AllocFlags.NoFail"/> (the default), which rides out
    /// pressure for up to <see cref="PageAllocatorOptions.NoFailTimeout"/>; false makes a full arena fail the write at once.</param>
    /// <exception cref="ArgumentNullException">The allocator is null.</exception>
    public PageBufferWriter(PageAllocator allocator, bool noFail = true)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        _allocator = allocator;
        _flags = noFail ? AllocFlags.NoFail : AllocFlags.None;
        _pageSize = allocator.PageSize;
        _pageShift = allocator.PageShift;
    }

    /// <summary>The largest size hint: a staged span must fit an array, and its pages an int of bytes.</summary>
    public int MaxSizeHint => _allocator.MaxBufferLength - _pageSize;

    /// <summary>Bytes written (advanced over) so far.</summary>
    public long WrittenCount => _written;

    /// <summary>Pages the writer holds (the last may be partly written or empty).</summary>
    public int PageCount => _pageCount;

    /// <summary>
    /// A span of at least <paramref name="sizeHint"/> bytes (at least one byte for 0) to write into, then
    /// <see cref="Advance"/> over what was written. When that much fits in the current page, the span is the rest of
    /// the page; otherwise it is a scratch array, copied into the pages at <see cref="Advance"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The hint is negative or above <see cref="MaxSizeHint"/>.</exception>
    /// <exception cref="PageAllocationException">A new page was needed and none could be had; nothing changed.</exception>
    /// <exception cref="ObjectDisposedException">The writer or its allocator was disposed.</exception>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Prepare(sizeHint);
        if (_staged)
            return _scratch.AsSpan(_scratchOffset, _given);
        return _pages[CurrentPage].Folio.Span.Slice(OffsetInPage, _given);
    }

    /// <summary>The <see cref="GetSpan"/> of <see cref="Memory{T}"/>: the same bytes, for asynchronous writers. Page
    /// memory refuses access (<see cref="ObjectDisposedException"/>) once the writer gives the page back.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The hint is negative or above <see cref="MaxSizeHint"/>.</exception>
    /// <exception cref="PageAllocationException">A new page was needed and none could be had; nothing changed.</exception>
    /// <exception cref="ObjectDisposedException">The writer or its allocator was disposed.</exception>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Prepare(sizeHint);
        if (_staged)
            return _scratch.AsMemory(_scratchOffset, _given);
        return PageMemory(CurrentPage).Slice(OffsetInPage, _given);
    }

    /// <summary>Records that <paramref name="count"/> bytes of the last span or memory were written. A staged span is
    /// copied into pages here, all or nothing.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative, or goes past what the last
    /// <see cref="GetSpan"/> or <see cref="GetMemory"/> gave (less what was advanced since); nothing changed.</exception>
    /// <exception cref="PageAllocationException">Staged bytes needed new pages and none could be had; nothing changed.</exception>
    /// <exception cref="ObjectDisposedException">The writer or its allocator was disposed.</exception>
    public void Advance(int count)
    {
        ThrowIfDisposed();
        if ((uint)count > (uint)_given)
            throw new ArgumentOutOfRangeException(nameof(count), count, count < 0
                ? "The count must not be negative."
                : $"Advance({count}) goes past the {_given} bytes the last GetSpan or GetMemory gave (less what was advanced since). Ask for the size you write.");
        if (_staged)
        {
            CopyIntoPages(_scratch.AsSpan(_scratchOffset, count));
            _scratchOffset += count;
        }
        else
        {
            _written += count;
        }
        _given -= count;
    }

    /// <summary>
    /// What was written, without copying: one segment per page (a single segment while it fits one page). Reading
    /// it after <see cref="Reset"/>, <see cref="DetachExtentBuffer"/> or <see cref="Dispose"/> throws
    /// <see cref="ObjectDisposedException"/>; writing more leaves it as it was.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public ReadOnlySequence<byte> AsSequence()
    {
        ThrowIfDisposed();
        if (_written == 0)
            return ReadOnlySequence<byte>.Empty;
        int last = (int)((_written - 1) >> _pageShift);
        int lastLength = (int)(_written - ((long)last << _pageShift));
        if (last == 0)
            return new ReadOnlySequence<byte>(PageMemory(0)[..lastLength]);
        return new ReadOnlySequence<byte>(Segment(0), 0, Segment(last), lastLength);
    }

    /// <summary>
    /// Hands the written bytes over as an <see cref="ExtentBuffer"/> of <see cref="WrittenCount"/> bytes over the same
    /// pages (no copy), to read with its helpers; dispose it to free them. The writer is left empty, ready for more.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing was written, or more than an extent buffer holds
    /// (int.MaxValue bytes, in whole pages); nothing changed.</exception>
    /// <exception cref="ObjectDisposedException">The writer or its allocator was disposed.</exception>
    public ExtentBuffer DetachExtentBuffer()
    {
        ThrowIfDisposed();
        ObjectDisposedException.ThrowIf(_allocator.IsDisposed, _allocator);
        if (_written == 0 || _written > _allocator.MaxBufferLength)
            throw new InvalidOperationException(_written == 0
                ? "Nothing was written: an extent buffer holds at least one byte."
                : $"{_written} bytes were written; an extent buffer holds at most {_allocator.MaxBufferLength}.");
        int used = (int)((_written + _pageSize - 1) >> _pageShift);
        var pages = new Folio[used];
        for (int i = 0; i < used; i++)
            pages[i] = _pages[i].Folio;
        for (int i = used; i < _pageCount; i++)
            _allocator.Free(_pages[i].Folio);
        var buffer = ExtentBuffer.FromPages(_allocator, (int)_written, pages);
        Forget();
        return buffer;
    }

    /// <summary>Gives every page back and starts over, empty. Sequences and memory from before refuse access.</summary>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public void Reset()
    {
        ThrowIfDisposed();
        FreePages();
    }

    /// <summary>Gives every page back; afterwards every call but <see cref="WrittenCount"/> and
    /// <see cref="PageCount"/> (both 0) throws <see cref="ObjectDisposedException"/>. Idempotent; never throws.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        FreePages();
        if (_scratch is not null)
            ArrayPool<byte>.Shared.Return(_scratch);
        _scratch = null;
    }

    private int CurrentPage => (int)(_written >> _pageShift);

    private int OffsetInPage => (int)(_written & (_pageSize - 1));

    /// <summary>Makes room for a write of <paramref name="sizeHint"/> bytes: the rest of the current page (a new page
    /// when the last one is full), or the scratch array when that is too little.</summary>
    private void Prepare(int sizeHint)
    {
        ThrowIfDisposed();
        if ((uint)sizeHint > (uint)MaxSizeHint)
            throw new ArgumentOutOfRangeException(nameof(sizeHint), sizeHint, $"The size hint must be between 0 and {MaxSizeHint}.");
        int needed = Math.Max(sizeHint, 1);
        int room = CurrentPage < _pageCount ? _pageSize - OffsetInPage : 0;
        if (room == 0 && needed <= _pageSize)
        {
            AddPage(_allocator.Allocate(0, _flags));
            room = _pageSize;
        }
        _staged = needed > room;
        if (!_staged)
        {
            _given = room;
            return;
        }
        if (_scratch is null || _scratch.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(needed);
            if (_scratch is not null)
                ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = larger;
        }
        _scratchOffset = 0;
        _given = _scratch.Length;
    }

    /// <summary>Appends staged bytes to the pages, taking the pages they need first (all or nothing).</summary>
    private void CopyIntoPages(ReadOnlySpan<byte> source)
    {
        long end = _written + source.Length;
        int missing = (int)((end + _pageSize - 1) >> _pageShift) - _pageCount;
        if (missing > 0)
        {
            foreach (var page in _allocator.AllocatePagesFor(missing << _pageShift, _flags))
                AddPage(page);
        }
        while (!source.IsEmpty)
        {
            var target = _pages[CurrentPage].Folio.Span[OffsetInPage..];
            int length = Math.Min(target.Length, source.Length);
            source[..length].CopyTo(target);
            source = source[length..];
            _written += length;
        }
    }

    private void AddPage(Folio folio)
    {
        if (_pageCount == _pages.Length)
            Array.Resize(ref _pages, _pages.Length * 2);
        _pages[_pageCount++] = new Page { Folio = folio };
    }

    private Memory<byte> PageMemory(int index)
    {
        ref var page = ref _pages[index];
        if (page.Memory.IsEmpty)
            page.Memory = page.Folio.AsMemory();
        return page.Memory;
    }

    /// <summary>The sequence segment of a page. Segments are made in page order, each linked to the one before, once
    /// per page and never changed after (a page's segment is the whole page: a sequence ends inside it by its end index).</summary>
    private PageSegment Segment(int index)
    {
        for (; _segmentCount <= index; _segmentCount++)
        {
            var segment = new PageSegment(PageMemory(_segmentCount), (long)_segmentCount << _pageShift);
            if (_segmentCount > 0)
                _pages[_segmentCount - 1].Segment!.Link(segment);
            _pages[_segmentCount].Segment = segment;
        }
        return _pages[index].Segment!;
    }

    private void FreePages()
    {
        for (int i = 0; i < _pageCount; i++)
            _allocator.Free(_pages[i].Folio);
        Forget();
    }

    /// <summary>Empties the writer without freeing: its pages were freed or handed over.</summary>
    private void Forget()
    {
        Array.Clear(_pages, 0, _pageCount);
        _pageCount = 0;
        _segmentCount = 0;
        _written = 0;
        _given = 0;
        _staged = false;
    }

    private void ThrowIfDisposed() =>
        ObjectDisposedException.ThrowIf(_disposed, this);

    private struct Page
    {
        public Folio Folio;
        public Memory<byte> Memory;
        public PageSegment? Segment;
    }

    private sealed class PageSegment : ReadOnlySequenceSegment<byte>
    {
        public PageSegment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void Link(PageSegment next) => Next = next;
    }
}
