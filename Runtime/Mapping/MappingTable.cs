using System.Numerics;

namespace Folios;

/// <summary>
/// Book-keeping of an allocator's mappings: which pages are mapped, the live views, and the address ranges that
/// were unmapped but not yet released (lazy unmap). Callers hold the allocator lock; only the allocator's disposal
/// makes syscalls here.
/// </summary>
internal sealed class MappingTable
{
    /// <summary>Per page, the live views that map it. Changed with interlocked operations, which order them against
    /// the claim in <see cref="PageAllocator.Free"/>: a racing Map and Free cannot both miss each other.</summary>
    private readonly int[] _mapCount;
    private readonly HashSet<PageMapping> _live = new(ReferenceEqualityComparer.Instance);
    /// <summary>Folios their owner let go while a view still mapped them, by first page: each goes back to the
    /// allocator when the last view of it is withdrawn (the views hold a reference, as the kernel's page references
    /// do).</summary>
    private readonly Dictionary<int, Folio> _freeWhenUnmapped = [];
    private List<AddressRange> _lazy = [];

    public MappingTable(PageAllocatorOptions options)
    {
        _mapCount = new int[options.PageCount];
        MaxMappedPages = options.MaxMappedPages;
        // The kernel purges lazily freed vmap areas past fls(cpus) * 32 MiB; the same budget here.
        LazyPageLimit = (int)(((long)(BitOperations.Log2((uint)Environment.ProcessorCount) + 1) * (32 << 20)) / options.PageSize);
        TrackLeaks = options.TrackLeaks;
    }

    public int MaxMappedPages { get; }

    public int LazyPageLimit { get; }

    public bool TrackLeaks { get; }

    public int LiveMappings => _live.Count;

    public int MappedPages { get; private set; }

    public int LazyPages { get; private set; }

    public bool HasRoomFor(int pageCount) => (long)MappedPages + pageCount <= MaxMappedPages;

    /// <summary>Counts the view's pages as mapped; then the caller checks that its folios are still allocated.</summary>
    public void Add(PageMapping mapping)
    {
        CountPages(mapping, +1);
        MappedPages += mapping.PageCount;
        _live.Add(mapping);
    }

    /// <summary>Forgets a live view and queues its address range for lazy release; returns ranges due now.</summary>
    public List<AddressRange>? Remove(PageMapping mapping)
    {
        if (!Withdraw(mapping))
            return null;
        _lazy.Add(new AddressRange(mapping.Address, mapping.Length));
        LazyPages += mapping.PageCount;
        return LazyPages > LazyPageLimit ? TakeLazy() : null;
    }

    /// <summary>Undoes <see cref="Add"/>; the caller releases the range. False when the view is not live.</summary>
    public bool Withdraw(PageMapping mapping)
    {
        if (!_live.Remove(mapping))
            return false;
        CountPages(mapping, -1);
        MappedPages -= mapping.PageCount;
        return true;
    }

    public List<AddressRange> TakeLazy()
    {
        var due = _lazy;
        _lazy = [];
        LazyPages = 0;
        return due;
    }

    /// <summary>A page of the folio that a live view maps, or null. Safe without the lock.</summary>
    public int? MappedPage(Folio folio)
    {
        for (int page = folio.FirstPage; page < folio.FirstPage + folio.PageCount; page++)
        {
            if (Volatile.Read(ref _mapCount[page]) != 0)
                return page;
        }
        return null;
    }

    /// <summary>Keeps a folio its owner let go until the views that map it are withdrawn.</summary>
    public void FreeWhenUnmapped(Folio folio) => _freeWhenUnmapped.Add(folio.FirstPage, folio);

    /// <summary>After a view was withdrawn: the folios of it that were waiting for their last view, now mapped by none.</summary>
    public List<Folio>? TakeUnmappedFolios(PageMapping withdrawn)
    {
        if (_freeWhenUnmapped.Count == 0)
            return null;
        List<Folio>? due = null;
        foreach (var folio in withdrawn.Folios)
        {
            if (MappedPage(folio) is null && _freeWhenUnmapped.Remove(folio.FirstPage))
                (due ??= []).Add(folio);
        }
        return due;
    }

    /// <summary>The live views that map a page of the folio.</summary>
    public IEnumerable<PageMapping> ViewsOf(Folio folio) =>
        _live.Where(view => view.Folios.Any(mapped => mapped.FirstPage < folio.FirstPage + folio.PageCount && folio.FirstPage < mapped.FirstPage + mapped.PageCount));

    private void CountPages(PageMapping mapping, int delta)
    {
        foreach (var folio in mapping.Folios)
        {
            for (int page = folio.FirstPage; page < folio.FirstPage + folio.PageCount; page++)
                Interlocked.Add(ref _mapCount[page], delta);
        }
    }

    /// <summary>With <see cref="TrackLeaks"/>, the live views to report at the allocator's disposal; else none.</summary>
    public List<PageMapping> LeakedViews() => TrackLeaks ? [.. _live] : [];

    /// <summary>
    /// At the allocator's disposal: lazily unmapped ranges are released; each live view is orphaned and its range
    /// becomes a placeholder of zero pages until its owner unmaps it (a view being unmapped right now is left to its
    /// owner, who releases its range).
    /// </summary>
    public void RetireAll()
    {
        ViewPlacement.Release(TakeLazy());
        _freeWhenUnmapped.Clear();
        foreach (var mapping in _live)
        {
            if (mapping.TryOrphan())
                Arena.Placeholder(mapping.Address, (nuint)mapping.Length);
        }
        _live.Clear();
        MappedPages = 0;
    }

    internal readonly record struct AddressRange(nint Address, int Length);
}
