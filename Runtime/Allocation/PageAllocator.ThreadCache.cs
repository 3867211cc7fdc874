namespace Folios;

public sealed partial class PageAllocator
{
    /// <summary>Every live thread's cache of this allocator; changed under the lock.</summary>
    private readonly List<ThreadPageCache> _threadCaches = [];
    private readonly int _threadCacheCapacity;

    /// <summary>
    /// The order-0 fast path: a page from the calling thread's cache, with no lock and no interlocked operation;
    /// an empty cache is refilled with a batch from the buddy lists. Never dips into the reserve; whatever it cannot
    /// do is left to the slow path.
    /// </summary>
    private bool TryTakeCached(out Folio folio)
    {
        folio = default;
        if (CacheOfThisThread() is not { } cache)
            return false;
        long generation = 0;
        int page = -1;
        if (cache.TryEnter())
        {
            // Inside the cache, Dispose waits for this hand-out (see ThreadPageCache), so it sees the page as taken.
            if (cache.Count > 0)
            {
                page = cache.Pages[--cache.Count];
                cache.Allocations++;
                generation = HandOut(page);
            }
            cache.Leave();
        }
        if (page < 0 && !TryRefill(cache, out page, out generation))
            return false;
        folio = new Folio(this, page, 0, generation);
        return true;
    }

    /// <summary>Moves a batch of order-0 pages above the reserve into the cache and takes one of them.</summary>
    private bool TryRefill(ThreadPageCache cache, out int page, out long generation)
    {
        page = -1;
        generation = 0;
        lock (_lock)
        {
            // Under the lock no claimer runs, so the owner may fill its cache without entering it.
            if (IsDisposed)
                return false;
            int room = Math.Min(Math.Min(ThreadPageCache.Batch, cache.Pages.Length - cache.Count), _freeLists.FreePages - _options.ReservePages);
            int first = cache.Count;
            for (int i = 0; i < room; i++)
            {
                int taken = _freeLists.Take(0);
                if (taken < 0)
                    break;
                cache.Pages[cache.Count++] = taken;
            }
            // Popped from the end: reversed, the batch comes out in ascending page order, so consecutive
            // allocations stay adjacent and a mapping of them is one run (as rmqueue_bulk keeps them in order).
            Array.Reverse(cache.Pages, first, cache.Count - first);
            if (cache.Count > 0)
            {
                page = cache.Pages[--cache.Count];
                cache.Allocations++;
                generation = HandOut(page);
            }
        }
        return page >= 0;
    }

    /// <summary>Keeps a freed order-0 page in this thread's cache, unless it is full or a NoFail request waits for frees.</summary>
    private bool TryCachePage(int page)
    {
        if (Volatile.Read(ref _waitingForFree) > 0 || CacheOfThisThread() is not { } cache || !cache.TryEnter())
            return false;
        bool kept = cache.Count < cache.Pages.Length;
        if (kept)
            cache.Pages[cache.Count++] = page;
        cache.Leave();
        return kept;
    }

    /// <summary>After a free found this thread's cache full: a batch goes back to the buddy lists, where it can merge.</summary>
    private void SpillLocked()
    {
        if (ThreadPageCaches.Find(this) is not { } cache || cache.Count < cache.Pages.Length)
            return;
        for (int i = 0; i < ThreadPageCache.Batch && cache.Count > 0; i++)
            _freeLists.Release(cache.Pages[--cache.Count], 0);
    }

    /// <summary>Returns every thread's cached pages to the buddy lists (drain_all_pages) and folds in their counts.</summary>
    /// <returns>How many pages came back.</returns>
    private int DrainLocked()
    {
        ThreadPageCache.ClaimAll(_threadCaches);
        int drained = 0;
        foreach (var cache in _threadCaches)
        {
            drained += EmptyLocked(cache);
            cache.Unclaim();
        }
        return drained;
    }

    /// <summary>A thread evicted its cache, or ended (called from its finalizer, so this must not throw): the pages go
    /// back and the cache is forgotten. Its owner is the caller or dead, so the cache needs no claim.</summary>
    internal void ReturnCache(ThreadPageCache cache)
    {
        lock (_lock)
        {
            if (IsDisposed || !_threadCaches.Remove(cache))
                return;
            _progress += EmptyLocked(cache);
            if (_waitingForFree > 0)
                Monitor.PulseAll(_lock);
        }
    }

    /// <summary>How many threads hold a cache of this allocator (for tests).</summary>
    internal int ThreadCacheCount
    {
        get
        {
            lock (_lock)
                return _threadCaches.Count;
        }
    }

    /// <summary>Free pages outside every cache, without draining (for tests).</summary>
    internal int FreePagesInBuddyLists
    {
        get
        {
            lock (_lock)
                return _freeLists.FreePages;
        }
    }

    /// <summary>At Dispose: waits for fast paths inside a cache and keeps every cache claimed, so none hands out a page again.</summary>
    private void ClaimCachesForever() => ThreadPageCache.ClaimAll(_threadCaches);

    private int EmptyLocked(ThreadPageCache cache)
    {
        int pages = cache.Count;
        while (cache.Count > 0)
            _freeLists.Release(cache.Pages[--cache.Count], 0);
        _allocations[0] += cache.Allocations;
        cache.Allocations = 0;
        return pages;
    }

    /// <summary>This thread's cache for this allocator, made on first use; null when caches are off or after Dispose.</summary>
    private ThreadPageCache? CacheOfThisThread()
    {
        if (ThreadPageCaches.Find(this) is { } cache)
            return cache;
        if (_threadCacheCapacity == 0)
            return null;
        cache = new ThreadPageCache(this, _threadCacheCapacity);
        lock (_lock)
        {
            if (IsDisposed)
                return null;
            _threadCaches.Add(cache);
        }
        ThreadPageCaches.Add(cache);
        return cache;
    }
}
