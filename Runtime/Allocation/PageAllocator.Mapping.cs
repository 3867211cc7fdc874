using System.Diagnostics;
using System.Runtime.Versioning;

namespace Folios;

public sealed partial class PageAllocator
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
            nint address = ViewPlacement.ReserveAndPlace(_arena, folios, (int)pageCount, PageShift);
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
        ViewPlacement.Release(due);
    }

    internal void ReleaseMapping(PageMapping mapping)
    {
        List<MappingTable.AddressRange>? due;
        List<Folio>? unmapped;
        lock (_lock)
        {
            if (IsDisposed)
            {
                // Orphaned by the disposal (or unmapped while it ran): the range is this caller's to release.
                ViewPlacement.Release(mapping.Address, mapping.Length);
                return;
            }
            due = _mappings.Remove(mapping);
            unmapped = _mappings.TakeUnmappedFolios(mapping);
        }
        _metrics.CountMappings(-1, -(long)mapping.PageCount << PageShift);
        if (due is not null)
            ViewPlacement.Release(due);
        // Folios whose owner let them go while mapped, and whose last view this was.
        foreach (var folio in unmapped ?? [])
            ReturnClaimed(folio);
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
                        // Added and withdrawn under one lock: a folio waiting for its last view never waits on this one.
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
        ViewPlacement.Release(mapping.Address, mapping.Length);
        return null;
    }
}
