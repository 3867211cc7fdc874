using System.Numerics;
using System.Text;

namespace Folios;

/// <summary>
/// Book-keeping of an allocator's mappings: which pages are mapped, the live views, and the address ranges that
/// were unmapped but not yet released (lazy unmap). Callers hold the allocator lock; no syscalls happen here.
/// </summary>
internal sealed class MappingTable
{
    private readonly PageAllocator _allocator;
    private readonly int[] _mapCount;
    private readonly HashSet<PageMapping> _live = new(ReferenceEqualityComparer.Instance);
    private List<AddressRange> _lazy = [];

    public MappingTable(PageAllocator allocator, PageAllocatorOptions options)
    {
        _allocator = allocator;
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

    public bool HasRoomFor(int pageCount) => MappedPages + pageCount <= MaxMappedPages;

    public void Add(PageMapping mapping)
    {
        foreach (var folio in mapping.Folios)
        {
            for (int page = 0; page < folio.PageCount; page++)
                _mapCount[folio.FirstPage + page]++;
        }
        MappedPages += mapping.PageCount;
        _live.Add(mapping);
    }

    /// <summary>Forgets a live view and queues its address range for lazy release; returns ranges due now.</summary>
    public List<AddressRange>? Remove(PageMapping mapping)
    {
        if (!_live.Remove(mapping))
            return null;
        foreach (var folio in mapping.Folios)
        {
            for (int page = 0; page < folio.PageCount; page++)
                _mapCount[folio.FirstPage + page]--;
        }
        MappedPages -= mapping.PageCount;
        _lazy.Add(new AddressRange(mapping.Address, mapping.Length));
        LazyPages += mapping.PageCount;
        return LazyPages > LazyPageLimit ? TakeLazy() : null;
    }

    public List<AddressRange> TakeLazy()
    {
        var due = _lazy;
        _lazy = [];
        LazyPages = 0;
        return due;
    }

    public void ThrowIfMapped(Folio folio)
    {
        for (int page = 0; page < folio.PageCount; page++)
        {
            if (_mapCount[folio.FirstPage + page] != 0)
                throw new InvalidOperationException($"Cannot free {folio}: page {folio.FirstPage + page} is still mapped. Unmap the mapping before freeing its pages.");
        }
    }

    public string? DescribeLeaks()
    {
        if (!TrackLeaks || _live.Count == 0)
            return null;
        var text = new StringBuilder($"{_live.Count} mapping(s) were never unmapped before the allocator was disposed:");
        foreach (var mapping in _live)
            text.AppendLine().Append($"- {mapping.PageCount} page(s) mapped at:").AppendLine().Append(mapping.CreationStack);
        return text.ToString();
    }

    /// <summary>Marks every view unmapped and returns every address range, live or lazy, for release.</summary>
    public List<AddressRange> ReleaseAll()
    {
        var ranges = TakeLazy();
        foreach (var mapping in _live)
        {
            mapping.MarkReleasedByAllocator();
            ranges.Add(new AddressRange(mapping.Address, mapping.Length));
        }
        _live.Clear();
        Array.Clear(_mapCount);
        MappedPages = 0;
        return ranges;
    }

    internal readonly record struct AddressRange(nint Address, int Length);
}
