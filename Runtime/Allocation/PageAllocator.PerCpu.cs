namespace Folios;

public sealed partial class PageAllocator
{
    /// <summary>
    /// The order-0 fast path: a page from this CPU's list, refilled with a batch from the buddy lists when empty.
    /// Never dips into the reserve; whatever it cannot do is left to the slow path. The page is handed out (its
    /// generation made odd) while the list's flag or the lock is held, which <see cref="Dispose"/> waits for, so
    /// Dispose either sees the page as allocated or this path sees the allocator as disposed.
    /// </summary>
    private bool TryTakeCached(out Folio folio)
    {
        folio = default;
        if (PerCpuPages.Current(_perCpu) is not { } pcp)
            return false;
        long generation = 0;
        int page = -1;
        if (pcp.TryEnter())
        {
            if (pcp.Count > 0 && !IsDisposed)
            {
                page = pcp.Pages[--pcp.Count];
                pcp.Allocations++;
                generation = HandOut(page);
            }
            pcp.Exit();
        }
        if (page < 0 && !TryRefill(pcp, out page, out generation))
            return false;
        folio = new Folio(this, page, 0, generation);
        return true;
    }

    /// <summary>Moves a batch of order-0 pages above the reserve into the list and takes one of them.</summary>
    private bool TryRefill(PerCpuPages pcp, out int page, out long generation)
    {
        page = -1;
        generation = 0;
        lock (_lock)
        {
            if (IsDisposed || !pcp.TryEnter())
                return false;
            int room = Math.Min(Math.Min(PerCpuPages.Batch, pcp.Pages.Length - pcp.Count), _freeLists.FreePages - _options.ReservePages);
            int first = pcp.Count;
            for (int i = 0; i < room; i++)
            {
                int taken = _freeLists.Take(0);
                if (taken < 0)
                    break;
                pcp.Pages[pcp.Count++] = taken;
            }
            // Popped from the end: reversed, the batch comes out in ascending page order, so consecutive
            // allocations stay adjacent and a mapping of them is one run (as rmqueue_bulk keeps them in order).
            Array.Reverse(pcp.Pages, first, pcp.Count - first);
            if (pcp.Count > 0)
            {
                page = pcp.Pages[--pcp.Count];
                pcp.Allocations++;
                generation = HandOut(page);
            }
            pcp.Exit();
        }
        return page >= 0;
    }

    /// <summary>Keeps a freed order-0 page on this CPU's list, unless it is full or a NoFail request waits for frees.</summary>
    private bool TryCachePage(int page)
    {
        if (PerCpuPages.Current(_perCpu) is not { } pcp || Volatile.Read(ref _waitingForFree) > 0 || !pcp.TryEnter())
            return false;
        bool kept = pcp.Count < pcp.Pages.Length;
        if (kept)
            pcp.Pages[pcp.Count++] = page;
        pcp.Exit();
        return kept;
    }

    /// <summary>After a free found this CPU's list full: a batch goes back to the buddy lists, where it can merge.</summary>
    private void SpillLocked()
    {
        if (PerCpuPages.Current(_perCpu) is not { } pcp || pcp.Count < pcp.Pages.Length || !pcp.TryEnter())
            return;
        for (int i = 0; i < PerCpuPages.Batch && pcp.Count > 0; i++)
            _freeLists.Release(pcp.Pages[--pcp.Count], 0);
        pcp.Exit();
    }

    /// <summary>Returns every per-CPU page to the buddy lists (drain_all_pages) and folds in their counts.</summary>
    /// <returns>How many pages came back.</returns>
    private int DrainLocked()
    {
        int drained = 0;
        foreach (var pcp in _perCpu)
        {
            pcp.Enter();
            drained += pcp.Count;
            while (pcp.Count > 0)
                _freeLists.Release(pcp.Pages[--pcp.Count], 0);
            _allocations[0] += pcp.Allocations;
            pcp.Allocations = 0;
            pcp.Exit();
        }
        return drained;
    }
}
