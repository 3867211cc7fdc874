namespace Folios;

/// <summary>
/// The current thread's <see cref="ThreadPageCache"/>s, one per allocator it used lately. When the thread ends,
/// this object becomes garbage and its finalizer gives every cache's pages back to their allocators.
/// </summary>
internal sealed class ThreadPageCaches
{
    /// <summary>Allocators a thread keeps caches for; one more evicts the least recently used.</summary>
    private const int MaxAllocators = 4;

    [ThreadStatic]
    private static ThreadPageCaches? t_caches;

    /// <summary>Most recently used first.</summary>
    private readonly ThreadPageCache?[] _caches = new ThreadPageCache?[MaxAllocators];

    /// <summary>The calling thread's cache for the allocator, or null when it has none yet.</summary>
    public static ThreadPageCache? Find(PageAllocator allocator)
    {
        var caches = t_caches;
        if (caches is null)
            return null;
        var recent = caches._caches[0];
        return recent is not null && ReferenceEquals(recent.Allocator, allocator) ? recent : caches.FindAndPromote(allocator);
    }

    /// <summary>Makes room for and remembers a new cache of the calling thread.</summary>
    public static void Add(ThreadPageCache cache)
    {
        var caches = t_caches ??= new ThreadPageCaches();
        var slots = caches._caches;
        // Caches of disposed allocators only hold the allocator alive: drop them first.
        int kept = 0;
        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i] is { } slot && !slot.Allocator.IsDisposed)
                slots[kept++] = slot;
        }
        Array.Clear(slots, kept, slots.Length - kept);
        if (kept == slots.Length)
            slots[--kept]!.Allocator.ReturnCache(slots[kept]!);
        Array.Copy(slots, 0, slots, 1, kept);
        slots[0] = cache;
    }

    ~ThreadPageCaches()
    {
        foreach (var cache in _caches)
            cache?.Allocator.ReturnCache(cache);
    }

    private ThreadPageCache? FindAndPromote(PageAllocator allocator)
    {
        for (int i = 1; i < _caches.Length; i++)
        {
            if (_caches[i] is { } cache && ReferenceEquals(cache.Allocator, allocator))
            {
                Array.Copy(_caches, 0, _caches, 1, i);
                _caches[0] = cache;
                return cache;
            }
        }
        return null;
    }
}
