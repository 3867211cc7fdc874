namespace Folios;

/// <summary>
/// One CPU's list of free order-0 pages (the kernel's per-CPU pageset): order-0 allocations and frees on that CPU
/// push and pop here without the allocator lock and without splitting or merging buddies. The owner of the list
/// holds a flag rather than a lock, and gives up to the slow path instead of waiting when the flag is taken.
/// </summary>
internal sealed class PerCpuPages(int capacity)
{
    /// <summary>Pages moved between this list and the buddy lists at a time.</summary>
    public const int Batch = 16;

    public readonly int[] Pages = new int[capacity];
    public int Count;

    /// <summary>Order-0 allocations served from this list since it was last drained.</summary>
    public long Allocations;

    private int _busy;

    public static PerCpuPages[] CreateSet(int pageCount)
    {
        // Enough to absorb bursts, never so much that the lists hide a large part of a small arena.
        int capacity = Math.Clamp(pageCount / (8 * Environment.ProcessorCount), 0, 4 * Batch);
        var set = new PerCpuPages[capacity == 0 ? 0 : Environment.ProcessorCount];
        for (int i = 0; i < set.Length; i++)
            set[i] = new PerCpuPages(capacity);
        return set;
    }

    public static PerCpuPages? Current(PerCpuPages[] set) =>
        set.Length == 0 ? null : set[Thread.GetCurrentProcessorId() % set.Length];

    public bool TryEnter() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    /// <summary>Waits for the flag; only the drain does this, and holders never block while holding it.</summary>
    public void Enter()
    {
        var spin = new SpinWait();
        while (!TryEnter())
            spin.SpinOnce();
    }

    public void Exit() => Volatile.Write(ref _busy, 0);
}
