using System.Diagnostics;
using System.Runtime.Versioning;

namespace Folios;

public sealed unsafe partial class PageAllocator
{
    private readonly MappingTable _mappings;

    /// <summary>
    /// Maps folios (usually order-0 pages) into one virtually contiguous view, in the order given (vm_map_ram).
    /// When the address space or the budget is exhausted it purges lazily unmapped views and retries once.
    /// Whatever happens, a failed call leaves no address range behind.
    /// </summary>
    /// <exception cref="ArgumentException">No pages, a default or foreign folio.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The view would exceed int.MaxValue bytes.</exception>
    /// <exception cref="ObjectDisposedException">A folio was already freed, or the allocator was disposed.</exception>
    /// <exception cref="InvalidOperationException">The mapping budget (<see cref="PageAllocatorOptions.MaxMappedPages"/>) or the address space is exhausted.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux: pages cannot be mapped a second time there.</exception>
    [MapsPages]
    [SupportedOSPlatform("linux")]
    public PageMapping Map(ReadOnlySpan<Folio> pages)
    {
        if (pages.IsEmpty)
            throw new ArgumentException("Map needs at least one folio.", nameof(pages));
        if (!_arena.CanMap)
            throw new PlatformNotSupportedException("PageAllocator.Map needs a memfd arena (Linux); use AllocateContiguous, which falls back to a folio.");
        ThrowIfDisposed();
        var folios = pages.ToArray();
        long pageCount = 0;
        foreach (var folio in folios)
        {
            if (!ReferenceEquals(folio.Allocator, this))
                throw new ArgumentException(folio.Allocator is null ? "Cannot map a default Folio." : "A folio belongs to another PageAllocator.", nameof(pages));
            if (!HasLiveState(folio))
                throw new ObjectDisposedException(nameof(Folio), $"Cannot map {folio}: it was freed.");
            pageCount += folio.PageCount;
        }
        if (pageCount << PageShift > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(pages), pageCount, $"A view of {pageCount} pages would exceed int.MaxValue bytes.");

        string? stack = _mappings.TrackLeaks ? new StackTrace(1, fNeedFileInfo: true).ToString() : null;
        for (int attempt = 0; ; attempt++)
        {
            nint address = ReserveAndPlace(folios, (int)pageCount);
            if (address != 0 && TryRegister(folios, address, (int)pageCount, stack) is { } mapping)
                return mapping;
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
            if (IsDisposed)
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
            if (IsDisposed)
            {
                // Orphaned by the disposal (or unmapped while it ran): the range is this caller's to release.
                Libc.Munmap(mapping.Address, (nuint)mapping.Length);
                return;
            }
            due = _mappings.Remove(mapping);
        }
        _metrics.CountMappings(-1, -(long)mapping.PageCount << PageShift);
        if (due is not null)
            ReleaseRanges(due);
    }

    /// <summary>Registers the placed view; null when the budget is spent. On null or an exception the range is released.</summary>
    private PageMapping? TryRegister(Folio[] folios, nint address, int pageCount, string? stack)
    {
        var mapping = new PageMapping(this, folios, address, pageCount, stack);
        try
        {
            lock (_lock)
            {
                ThrowIfDisposed();
                if (!_mappings.HasRoomFor(pageCount))
                    return Unplaced(mapping);
                // Counted first, then checked: a Free racing this call either sees the count or is seen here.
                _mappings.Add(mapping);
                foreach (var folio in folios)
                {
                    if (!HasLiveState(folio))
                    {
                        _mappings.Withdraw(mapping);
                        throw new ObjectDisposedException(nameof(Folio), $"Cannot map {folio}: it was freed.");
                    }
                }
            }
        }
        catch
        {
            Unplaced(mapping);
            throw;
        }
        _metrics.CountMappings(1, (long)pageCount << PageShift);
        return mapping;
    }

    private static PageMapping? Unplaced(PageMapping mapping)
    {
        Libc.Munmap(mapping.Address, (nuint)mapping.Length);
        return null;
    }

    /// <summary>Reserves an address range and places each run of file-consecutive pages in it; 0 on failure.</summary>
    private nint ReserveAndPlace(Folio[] folios, int pageCount)
    {
        int fd = _arena.AcquireDescriptor();
        try
        {
            return ReserveAndPlace(folios, pageCount, fd);
        }
        finally
        {
            _arena.ReleaseDescriptor();
        }
    }

    private nint ReserveAndPlace(Folio[] folios, int pageCount, int fd)
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
                Libc.MapShared | Libc.MapFixed, fd, (long)runStart << PageShift);
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
