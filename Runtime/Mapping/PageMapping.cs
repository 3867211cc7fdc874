namespace Folios;

/// <summary>
/// A virtually contiguous view of pages (the kernel's <c>vm_map_ram</c>): on Linux a second mapping of the same
/// physical pages, so writes through the view appear in the pages and the other way round. Unmap it exactly once,
/// after the last use and before the pages are freed.
/// </summary>
public sealed unsafe class PageMapping : IDisposable
{
    private const int Mapped = 0, Unmapped = 1, Orphaned = 2;
    private readonly PageAllocator _allocator;
    private MappingMemory? _memory;
    private int _state;

    internal PageMapping(PageAllocator allocator, Folio[] folios, nint address, int pageCount, string? creationStack)
    {
        _allocator = allocator;
        Folios = folios;
        Address = address;
        PageCount = pageCount;
        Length = pageCount << allocator.PageShift;
        CreationStack = creationStack;
    }

    internal Folio[] Folios { get; }

    internal nint Address { get; }

    internal string? CreationStack { get; }

    /// <summary>Bytes in the view.</summary>
    public int Length { get; }

    /// <summary>Pages in the view.</summary>
    public int PageCount { get; }

    /// <summary>True until <see cref="Unmap"/>, <see cref="Dispose"/> or the allocator's disposal.</summary>
    public bool IsMapped => Volatile.Read(ref _state) == Mapped;

    /// <summary>The contiguous view. Throws <see cref="ObjectDisposedException"/> after unmap or after the
    /// allocator's disposal: never a stale alias.</summary>
    public Span<byte> Span
    {
        get
        {
            int state = Volatile.Read(ref _state);
            if (state != Mapped)
                throw new ObjectDisposedException(nameof(PageMapping), state == Orphaned
                    ? $"The allocator of this {PageCount}-page mapping was disposed, and its memory with it."
                    : $"This {PageCount}-page mapping was unmapped; its view may no longer be used.");
            return new Span<byte>((void*)Address, Length);
        }
    }

    /// <summary>
    /// The contiguous view as <see cref="Memory{T}"/>, for APIs that take memory rather than spans (the same memory on
    /// every call). It lives as long as the view: after unmap or the allocator's disposal, the memory's <c>Span</c> and
    /// <c>Pin</c> throw <see cref="ObjectDisposedException"/>, never a stale alias. A span or pin taken before the
    /// unmap must not be used after it.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The view was unmapped or its allocator disposed.</exception>
    public Memory<byte> Memory
    {
        get
        {
            _ = Span; // checks the view before handing out memory
            return (_memory ??= new MappingMemory(this)).Memory;
        }
    }

    /// <summary>
    /// Unmaps the view (vm_unmap_ram). The address range is released lazily, see <see cref="PageAllocator.UnmapAliases"/>.
    /// Pages whose buffer was disposed while this view mapped them go back to the allocator with the last view of
    /// them. After the allocator's disposal the first unmap releases the range at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The view was already unmapped.</exception>
    [UnmapsPages]
    public void Unmap()
    {
        if (Interlocked.Exchange(ref _state, Unmapped) == Unmapped)
            throw new InvalidOperationException($"This {PageCount}-page mapping was already unmapped; unmap a mapping exactly once.");
        _allocator.ReleaseMapping(this);
    }

    /// <summary>Unmaps the view if it is still mapped, as <see cref="Unmap"/> does; never throws, and does nothing after
    /// an unmap (so <c>using</c> is safe after an explicit <see cref="Unmap"/>).</summary>
    [UnmapsPages]
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _state, Unmapped) != Unmapped)
            _allocator.ReleaseMapping(this);
    }

    /// <summary>The allocator is being disposed: false when the owner is unmapping right now (it releases the range).</summary>
    internal bool TryOrphan() => Interlocked.CompareExchange(ref _state, Orphaned, Mapped) == Mapped;
}
