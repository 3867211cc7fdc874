using System.Numerics;

namespace Folios.Resp;

/// <summary>A slot of the <see cref="ValueSlab"/>: its size class and its number within that class.</summary>
internal readonly record struct SlotHandle(int SizeClass, int Slot);

/// <summary>
/// Small values packed into order-0 pages by size class, as the kernel's kmalloc caches pack small objects into slab
/// pages: a page of the 32-byte class holds 128 values of up to 32 bytes. A slot never crosses a page, so its bytes
/// are one span of its page. Freed slots are reused by the next value of their class; the pages stay with their class
/// until the slab is disposed. Not thread-safe (its shard's lock covers it).
/// </summary>
internal sealed class ValueSlab(PageAllocator allocator) : IDisposable
{
    /// <summary>The smallest slot; classes double from here up to <see cref="MaxValueLength"/>.</summary>
    private const int MinSlotShift = 4;

    private readonly SizeClass[] _classes = Enumerable.Range(0, BitOperations.Log2((uint)allocator.PageSize / 2) - MinSlotShift + 1)
        .Select(i => new SizeClass(1 << (MinSlotShift + i), allocator.PageSize))
        .ToArray();

    /// <summary>The longest value kept here (half a page: larger values get pages of their own).</summary>
    public int MaxValueLength => allocator.PageSize / 2;

    /// <summary>Takes a slot for a value of <paramref name="length"/> bytes (1 to <see cref="MaxValueLength"/>).</summary>
    /// <returns>False when a new page was needed and the arena had none (it never waits).</returns>
    public bool TryAllocate(int length, out SlotHandle slot)
    {
        int sizeClass = Math.Max(0, BitOperations.Log2((uint)length - 1) + 1 - MinSlotShift);
        var cache = _classes[sizeClass];
        if (cache.Free.Count == 0)
        {
            if (!allocator.TryAllocate(0, AllocFlags.NoWarn, out var page))
            {
                slot = default;
                return false;
            }
            int first = cache.Pages.Count * cache.SlotsPerPage;
            cache.Pages.Add(page);
            for (int i = cache.SlotsPerPage - 1; i >= 0; i--)
                cache.Free.Push(first + i);
        }
        slot = new SlotHandle(sizeClass, cache.Free.Pop());
        return true;
    }

    /// <summary>The bytes of a slot (its whole size; the caller knows the value's length).</summary>
    public Span<byte> Bytes(SlotHandle slot)
    {
        var cache = _classes[slot.SizeClass];
        int page = slot.Slot / cache.SlotsPerPage;
        return cache.Pages[page].Span.Slice(slot.Slot % cache.SlotsPerPage * cache.SlotSize, cache.SlotSize);
    }

    /// <summary>The largest value a slot holds.</summary>
    public int Capacity(SlotHandle slot) => _classes[slot.SizeClass].SlotSize;

    public void Free(SlotHandle slot) => _classes[slot.SizeClass].Free.Push(slot.Slot);

    public void Dispose()
    {
        foreach (var cache in _classes)
        {
            foreach (var page in cache.Pages)
                allocator.Free(page);
            cache.Pages.Clear();
            cache.Free.Clear();
        }
    }

    private sealed class SizeClass(int slotSize, int pageSize)
    {
        public int SlotSize { get; } = slotSize;

        public int SlotsPerPage { get; } = pageSize / slotSize;

        public List<Folio> Pages { get; } = [];

        public Stack<int> Free { get; } = new();
    }
}
