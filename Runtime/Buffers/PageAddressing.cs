using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Folios;

/// <summary>
/// The one place that turns a buffer offset into memory. A buffer is either one block of memory (a folio, a single
/// page, or a mapped view) or order-0 pages at scattered addresses. Every <see cref="ExtentBuffer"/> helper checks its
/// range once and then comes here, in the shape of btrfs's accessors.c and of <c>SequenceReader</c>: a fast path when
/// the bytes lie in one page, two loads for a small value that straddles two pages, and a walk over the pages
/// (<see cref="Segments"/>) for everything else.
/// </summary>
/// <remarks>Nothing here checks a range or the buffer's liveness: every caller has checked both first.</remarks>
internal readonly unsafe struct PageAddressing
{
    /// <summary>The whole buffer when it is one block of memory; null for scattered pages.</summary>
    private readonly byte* _contiguous;

    /// <summary>The address of each page, for scattered pages only.</summary>
    private readonly nint[]? _pages;

    private readonly int _pageShift;
    private readonly int _pageMask;

    /// <summary>Addresses for a buffer of <paramref name="folios"/>, seen through <paramref name="view"/> when it has one.</summary>
    public PageAddressing(PageAllocator allocator, Folio[] folios, PageMapping? view)
    {
        _pageShift = allocator.PageShift;
        _pageMask = allocator.PageSize - 1;
        if (view is not null)
            _contiguous = (byte*)view.Address;
        else if (folios.Length == 1)
            _contiguous = allocator.AddressOf(folios[0]);
        else
        {
            _pages = new nint[folios.Length];
            for (int i = 0; i < folios.Length; i++)
                _pages[i] = (nint)allocator.AddressOf(folios[i]);
        }
    }

    /// <summary>The page (of the buffer's page-sized pieces) that holds an offset.</summary>
    public int PageIndex(int offset) => offset >> _pageShift;

    /// <summary>The offset within its page of a buffer offset.</summary>
    public int OffsetInPage(int offset) => offset & _pageMask;

    /// <summary>The address of one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* AddressAt(int offset) => _contiguous != null
        ? _contiguous + offset
        : (byte*)Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_pages!), offset >> _pageShift) + (offset & _pageMask);

    /// <summary>Whether [offset, offset + size) is one block of memory (size of at most a page).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool InOnePage(int offset, int size) => _contiguous != null || (offset & _pageMask) <= _pageMask + 1 - size;

    /// <summary>A value in machine byte order: in one page a single load; else split across the pages.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Read<T>(int offset) where T : unmanaged
    {
        if (InOnePage(offset, Unsafe.SizeOf<T>()))
            return Unsafe.ReadUnaligned<T>(AddressAt(offset));
        if (Unsafe.SizeOf<T>() <= sizeof(ulong) && BitConverter.IsLittleEndian)
            return ReadStraddling<T>(offset);
        return ReadSplit<T>(offset);
    }

    /// <summary>Writes a value in machine byte order: in one page a single store; else split across the pages.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write<T>(int offset, in T value) where T : unmanaged
    {
        if (InOnePage(offset, Unsafe.SizeOf<T>()))
            Unsafe.WriteUnaligned(AddressAt(offset), value);
        else
            WriteSplit(offset, value);
    }

    /// <summary>Copies [offset, offset + destination.Length) out of the buffer.</summary>
    public void CopyOut(int offset, Span<byte> destination)
    {
        ref byte target = ref MemoryMarshal.GetReference(destination);
        foreach (var segment in Segments(offset, destination.Length))
        {
            // A plain block copy per block of memory: the range was checked once, so no slicing or bounds checks.
            Unsafe.CopyBlockUnaligned(ref target, ref MemoryMarshal.GetReference(segment), (uint)segment.Length);
            target = ref Unsafe.Add(ref target, segment.Length);
        }
    }

    /// <summary>Copies <paramref name="source"/> into the buffer at <paramref name="offset"/>.</summary>
    public void CopyIn(int offset, ReadOnlySpan<byte> source)
    {
        ref byte from = ref MemoryMarshal.GetReference(source);
        foreach (var segment in Segments(offset, source.Length))
        {
            Unsafe.CopyBlockUnaligned(ref MemoryMarshal.GetReference(segment), ref from, (uint)segment.Length);
            from = ref Unsafe.Add(ref from, segment.Length);
        }
    }

    /// <summary>The whole range as one span when it is one block of memory (the single-segment fast path).</summary>
    public bool TryGetSpan(int offset, int length, out Span<byte> span)
    {
        span = SegmentAt(offset, length);
        return span.Length == length;
    }

    /// <summary>The blocks of memory that make up [offset, offset + length), in order.</summary>
    public SegmentWalk Segments(int offset, int length) => new(this, offset, length);

    /// <summary>The longest piece of [offset, offset + length) that is one block of memory: the rest of the page and
    /// every following page that lies right after it in the arena (neighbours there are contiguous memory).</summary>
    private Span<byte> SegmentAt(int offset, int length)
    {
        if (_contiguous != null)
            return new Span<byte>(_contiguous + offset, length);
        var pages = _pages!;
        int page = offset >> _pageShift;
        int pageSize = _pageMask + 1;
        int run = pageSize - (offset & _pageMask);
        while (run < length && pages[page + 1] == pages[page] + pageSize)
        {
            run += pageSize;
            page++;
        }
        return new Span<byte>(AddressAt(offset), Math.Min(length, run));
    }

    /// <summary>
    /// A value of up to eight bytes that straddles two pages: two loads and two shifts, no walk. The head bytes are
    /// the top of the eight that end the first page; the tail bytes start the next page. Both eight-byte loads stay
    /// inside their page, so this reads no memory outside the buffer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T ReadStraddling<T>(int offset) where T : unmanaged
    {
        ref nint pages = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_pages!), offset >> _pageShift);
        int head = _pageMask + 1 - (offset & _pageMask);
        ulong low = Unsafe.ReadUnaligned<ulong>((byte*)pages + _pageMask + 1 - sizeof(ulong)) >> (64 - 8 * head);
        ulong bits = low | (Unsafe.ReadUnaligned<ulong>((byte*)Unsafe.Add(ref pages, 1)) << (8 * head));
        return Unsafe.As<ulong, T>(ref bits);
    }

    /// <summary>Values too large, or a host byte order too rare, for the straddling path.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private T ReadSplit<T>(int offset) where T : unmanaged
    {
        T value = default;
        CopyOut(offset, MemoryMarshal.AsBytes(new Span<T>(ref value)));
        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteSplit<T>(int offset, T value) where T : unmanaged =>
        CopyIn(offset, MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    /// <summary>The walk: each piece of a range that is one block of memory (the whole range at once when the
    /// buffer is contiguous), as btrfs builds its helpers on one loop in extent_io.c.</summary>
    internal ref struct SegmentWalk
    {
        private readonly PageAddressing _memory;
        private int _next;
        private int _remaining;
        private Span<byte> _current;

        public SegmentWalk(PageAddressing memory, int offset, int length)
        {
            _memory = memory;
            _next = offset;
            _remaining = length;
            _current = default;
        }

        /// <summary>The buffer offset of <see cref="Current"/>.</summary>
        public int Offset { get; private set; }

        public readonly Span<byte> Current => _current;

        public readonly SegmentWalk GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_remaining == 0)
                return false;
            Offset = _next;
            _current = _memory.SegmentAt(_next, _remaining);
            _next += _current.Length;
            _remaining -= _current.Length;
            return true;
        }
    }
}
