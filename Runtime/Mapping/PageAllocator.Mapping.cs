using System.Diagnostics;

namespace Folios;

public sealed unsafe partial class PageAllocator
{
    private readonly MappingTable _mappings;
    private long _fallbacks;

    /// <summary>
    /// Maps folios (usually order-0 pages) into one virtually contiguous view, in the order given (vm_map_ram).
    /// When the address space or the budget is exhausted it purges lazily unmapped views and retries once.
    /// </summary>
    /// <exception cref="ArgumentException">No pages, a default or foreign folio.</exception>
    /// <exception cref="ObjectDisposedException">A folio was already freed.</exception>
    /// <exception cref="InvalidOperationException">The mapping budget (<see cref="PageAllocatorOptions.MaxMappedPages"/>) or the address space is exhausted.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux: pages cannot be mapped a second time there.</exception>
    [MapsPages]
    public PageMapping Map(ReadOnlySpan<Folio> pages)
    {
        if (pages.IsEmpty)
            throw new ArgumentException("Map needs at least one folio.", nameof(pages));
        if (!_arena.CanMap)
            throw new PlatformNotSupportedException("PageAllocator.Map needs a memfd arena (Linux); use AllocateContiguous, which falls back to a folio.");
        var folios = pages.ToArray();
        int pageCount = 0;
        foreach (var folio in folios)
        {
            if (!ReferenceEquals(folio.Allocator, this))
                throw new ArgumentException(folio.Allocator is null ? "Cannot map a default Folio." : "A folio belongs to another PageAllocator.", nameof(pages));
            pageCount += folio.PageCount;
        }

        string? stack = _mappings.TrackLeaks ? new StackTrace(1, fNeedFileInfo: true).ToString() : null;
        for (int attempt = 0; ; attempt++)
        {
            nint address = ReserveAndPlace(folios, pageCount);
            if (address != 0 && TryRegister(folios, address, pageCount, stack, out var mapping))
                return mapping;
            if (address != 0)
                Libc.Munmap(address, (nuint)pageCount << PageShift);
            if (attempt == 1)
                throw new InvalidOperationException(
                    $"Could not map {pageCount} page(s): {_mappings.MappedPages} of {_mappings.MaxMappedPages} mappable pages are in use or the address space is exhausted, even after UnmapAliases.");
            UnmapAliases();
        }
    }

    /// <summary>Releases the address ranges of every lazily unmapped view (vm_unmap_aliases).</summary>
    public void UnmapAliases()
    {
        List<MappingTable.AddressRange> due;
        lock (_lock)
        {
            if (_disposed)
                return;
            due = _mappings.TakeLazy();
        }
        ReleaseRanges(due);
    }

    internal void ReleaseMapping(PageMapping mapping)
    {
        List<MappingTable.AddressRange>? due;
        lock (_lock)
        {
            if (_disposed)
                return;
            due = _mappings.Remove(mapping);
        }
        FoliosMetrics.LiveMappings.Add(-1);
        FoliosMetrics.MappedPages.Add(-mapping.PageCount);
        if (due is not null)
            ReleaseRanges(due);
    }

    internal void CountFallback(int fromOrder, string to)
    {
        Interlocked.Increment(ref _fallbacks);
        if (FoliosMetrics.Fallbacks.Enabled)
            FoliosMetrics.Fallbacks.Add(1, new KeyValuePair<string, object?>("from_order", FoliosMetrics.Order(fromOrder)), new KeyValuePair<string, object?>("to", to));
    }

    private bool TryRegister(Folio[] folios, nint address, int pageCount, string? stack, out PageMapping mapping)
    {
        mapping = new PageMapping(this, folios, address, pageCount, stack);
        lock (_lock)
        {
            ThrowIfDisposed();
            foreach (var folio in folios)
            {
                if (!HasLiveState(folio))
                    throw new ObjectDisposedException(nameof(Folio), $"Cannot map {folio}: it was freed.");
            }
            if (!_mappings.HasRoomFor(pageCount))
                return false;
            _mappings.Add(mapping);
        }
        FoliosMetrics.LiveMappings.Add(1);
        FoliosMetrics.MappedPages.Add(pageCount);
        return true;
    }

    /// <summary>Reserves an address range and places each run of file-consecutive pages in it; 0 on failure.</summary>
    private nint ReserveAndPlace(Folio[] folios, int pageCount)
    {
        nuint length = (nuint)pageCount << PageShift;
        nint reservation = Libc.Mmap(0, length, Libc.ProtNone, Libc.MapPrivate | Libc.MapAnonymous | Libc.MapNoReserve, -1, 0);
        if (reservation == Libc.MapFailed)
            return 0;

        int placed = 0;
        for (int i = 0; i < folios.Length;)
        {
            // Pages adjacent in the arena share one mmap call and one VMA.
            int runStart = folios[i].FirstPage, runPages = folios[i].PageCount;
            for (i++; i < folios.Length && folios[i].FirstPage == runStart + runPages; i++)
                runPages += folios[i].PageCount;
            nint target = reservation + (placed << PageShift);
            nint result = Libc.Mmap(target, (nuint)runPages << PageShift, Libc.ProtRead | Libc.ProtWrite,
                Libc.MapShared | Libc.MapFixed, _arena.FileDescriptor, (long)runStart << PageShift);
            if (result != target)
            {
                Libc.Munmap(reservation, length);
                return 0;
            }
            placed += runPages;
        }
        return reservation;
    }

    private static void ReleaseRanges(List<MappingTable.AddressRange> ranges)
    {
        foreach (var range in ranges)
            Libc.Munmap(range.Address, (nuint)range.Length);
    }
}
