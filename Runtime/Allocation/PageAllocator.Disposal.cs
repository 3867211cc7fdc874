namespace Folios;

public sealed partial class PageAllocator
{
    /// <summary>First pages of the folios still handed out when the allocator was disposed.</summary>
    private HashSet<int>? _handedOutAtDispose;

    /// <summary>
    /// Releases the arena's memory at once. Afterwards every request and <see cref="Map"/> throws
    /// <see cref="ObjectDisposedException"/>, folios, buffers and mappings refuse access with the same exception,
    /// and freeing a folio, disposing a buffer or unmapping a view only retires the handle. Memory still handed out
    /// is replaced by zero pages, so an access already past its checks on another thread never faults; that
    /// address range (not memory) is released when the last such folio is freed and the last such view unmapped.
    /// Idempotent.
    /// </summary>
    /// <remarks>Never throws. With <see cref="PageAllocatorOptions.TrackLeaks"/>, each view still mapped is reported
    /// through <see cref="LiveMappingReported"/> (<see cref="LiveMappingReason.AllocatorDisposed"/>, with the stack
    /// that created it) after everything was released; an exception a handler throws propagates.</remarks>
    public void Dispose()
    {
        List<PageMapping> leaks;
        int liveMappings, mappedPages;
        lock (_lock)
        {
            if (IsDisposed)
                return;
            // A full fence: a Free whose claim came first is not counted below; a later one sees the flag.
            Interlocked.Exchange(ref _disposed, 1);
            // Fast-path allocations hand a page out inside their thread's cache: wait for those in flight.
            ClaimCachesForever();
            leaks = _mappings.LeakedViews();
            (liveMappings, mappedPages) = (_mappings.LiveMappings, _mappings.MappedPages);
            _mappings.RetireAll();
            _handedOutAtDispose = HandedOutPages();
            _arena.Retire(stillHandedOut: _handedOutAtDispose.Count > 0);
            Monitor.PulseAll(_lock);
        }
        _metrics.Unregister(this);
        _metrics.CountMappings(-liveMappings, -(long)mappedPages << PageShift);
        foreach (var view in leaks)
            ReportLiveMapping(view, LiveMappingReason.AllocatorDisposed);
    }

    /// <summary>A folio freed after Dispose: once nothing handed out remains, the placeholder range goes too.</summary>
    private void RetireAfterDispose(int page)
    {
        lock (_lock)
        {
            if (_handedOutAtDispose!.Remove(page) && _handedOutAtDispose.Count == 0)
                _arena.ReleaseAddressRange();
        }
    }

    private HashSet<int> HandedOutPages()
    {
        var pages = new HashSet<int>();
        for (int page = 0; page < _generation.Length; page++)
        {
            if ((Volatile.Read(ref _generation[page]) & 1) != 0)
                pages.Add(page);
        }
        return pages;
    }
}
