namespace Folios;

/// <summary>
/// One thread's free order-0 pages for one allocator (a magazine, the kernel's per-CPU pageset per thread): its
/// owner pushes and pops with plain loads and stores, no lock and no interlocked operation. Another thread that
/// must see or take the pages (a drain, <see cref="PageAllocator.Dispose"/>) holds the allocator lock and claims
/// the cache: it raises <see cref="_claimed"/>, runs one process-wide memory barrier and waits for
/// <see cref="_inUse"/> to drop. The owner raises <see cref="_inUse"/> before it reads <see cref="_claimed"/>, so
/// either the owner sees the claim and takes the slow path, or the claimer sees the owner inside and waits: the
/// barrier makes the owner's store visible without the owner paying for a fence.
/// </summary>
internal sealed class ThreadPageCache(PageAllocator allocator, int capacity)
{
    /// <summary>Pages moved between a cache and the buddy lists at a time.</summary>
    public const int Batch = 16;

    public readonly PageAllocator Allocator = allocator;
    public readonly int[] Pages = new int[capacity];
    public int Count;

    /// <summary>Order-0 allocations served from this cache since it was last drained.</summary>
    public long Allocations;

    private int _inUse;
    private int _claimed;

    /// <summary>Pages per cache: enough to absorb bursts, never so much that caches hide a large part of a small arena;
    /// 0 (no caches) when less than a batch would fit.</summary>
    public static int CapacityFor(int pageCount)
    {
        int capacity = Math.Min(pageCount / (8 * Environment.ProcessorCount), 4 * Batch);
        return capacity < Batch ? 0 : capacity;
    }

    /// <summary>Owner only: enters the cache unless a claimer holds it; pair with <see cref="Leave"/>.</summary>
    public bool TryEnter()
    {
        Volatile.Write(ref _inUse, 1);
        if (Volatile.Read(ref _claimed) == 0)
            return true;
        Volatile.Write(ref _inUse, 0);
        return false;
    }

    public void Leave() => Volatile.Write(ref _inUse, 0);

    /// <summary>Claimer, under the allocator lock: marks the caches, then waits for owners inside them to leave.
    /// Afterwards their pages are the claimer's until <see cref="Unclaim"/>.</summary>
    public static void ClaimAll(List<ThreadPageCache> caches)
    {
        if (caches.Count == 0)
            return;
        foreach (var cache in caches)
            Volatile.Write(ref cache._claimed, 1);
        Interlocked.MemoryBarrierProcessWide();
        foreach (var cache in caches)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref cache._inUse) != 0)
                spin.SpinOnce();
        }
    }

    public void Unclaim() => Volatile.Write(ref _claimed, 0);
}
