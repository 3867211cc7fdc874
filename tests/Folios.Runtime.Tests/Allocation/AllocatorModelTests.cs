using CsCheck;

namespace Folios.Tests.Allocation;

/// <summary>Random allocate/free sequences checked against a model of which pages are in use.</summary>
public class AllocatorModelTests
{
    private const int Pages = 64;
    private const int MaxOrder = 4;

    private abstract record Step;
    private sealed record AllocateStep(int Order) : Step;
    private sealed record FreeStep(int Pick) : Step;

    private static readonly Gen<Step> StepGen = Gen.Frequency(
        (3, Gen.Int[0, MaxOrder].Select(order => (Step)new AllocateStep(order))),
        (2, Gen.Int[0, 1000].Select(pick => (Step)new FreeStep(pick))));

    [Fact]
    public void Random_sequences_keep_blocks_disjoint_aligned_and_the_accounting_exact()
    {
        StepGen.Array[1, 200].Sample(steps =>
        {
            using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = Pages * 4096, MaxOrder = MaxOrder, ReservePages = 0 });
            var used = new bool[Pages];
            var live = new List<Folio>();
            foreach (var step in steps)
            {
                if (step is AllocateStep allocate)
                {
                    bool modelHasRoom = HasFreeAlignedRun(used, allocate.Order);
                    bool allocated = allocator.TryAllocate(allocate.Order, AllocFlags.NoWarn, out var folio);
                    // A buddy allocator finds a block exactly when an aligned free run exists.
                    if (allocated != modelHasRoom)
                        return false;
                    if (!allocated)
                        continue;
                    if (folio.FirstPage % (1 << folio.Order) != 0)
                        return false;
                    for (int p = folio.FirstPage; p < folio.FirstPage + folio.PageCount; p++)
                    {
                        if (used[p])
                            return false;
                        used[p] = true;
                    }
                    live.Add(folio);
                }
                else if (live.Count > 0)
                {
                    var folio = live[((FreeStep)step).Pick % live.Count];
                    live.Remove(folio);
                    allocator.Free(folio);
                    Array.Fill(used, false, folio.FirstPage, folio.PageCount);
                }
                if (allocator.Statistics.FreePages != used.Count(u => !u))
                    return false;
            }
            foreach (var folio in live)
                allocator.Free(folio);
            return allocator.Statistics.FreeBlocksPerOrder[MaxOrder] == Pages >> MaxOrder;
        }, iter: 300, seed: "0N0XIzNsQ0O2");
    }

    private static bool HasFreeAlignedRun(bool[] used, int order)
    {
        int size = 1 << order;
        for (int start = 0; start < used.Length; start += size)
        {
            if (!used.AsSpan(start, size).Contains(true))
                return true;
        }
        return false;
    }
}
