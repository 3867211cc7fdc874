namespace Folios;

/// <summary>
/// The buddy free lists of one arena: naturally aligned blocks of 2^order pages, split on take and merged
/// with their free buddy on release (the kernel's <c>__rmqueue_smallest</c> / <c>__free_one_page</c>).
/// Not thread-safe; the allocator serialises access.
/// </summary>
internal sealed class BuddyFreeLists
{
    private const int None = -1;
    private readonly int _pageCount;
    private readonly int _maxOrder;
    private readonly int[] _head;
    private readonly int[] _blocksPerOrder;
    private readonly int[] _next;
    private readonly int[] _prev;
    private readonly sbyte[] _freeOrder;

    public BuddyFreeLists(int pageCount, int maxOrder)
    {
        _pageCount = pageCount;
        _maxOrder = maxOrder;
        _head = new int[maxOrder + 1];
        _blocksPerOrder = new int[maxOrder + 1];
        _next = new int[pageCount];
        _prev = new int[pageCount];
        _freeOrder = new sbyte[pageCount];
        Array.Fill(_head, None);
        Array.Fill(_freeOrder, (sbyte)None);

        for (int page = 0; page < pageCount;)
        {
            int order = maxOrder;
            while (page % (1 << order) != 0 || page + (1 << order) > pageCount)
                order--;
            Insert(page, order);
            page += 1 << order;
        }
        FreePages = pageCount;
    }

    public int FreePages { get; private set; }

    public int FreeBlocks(int order) => _blocksPerOrder[order];

    /// <summary>The highest order with a free block, or -1 when nothing is free.</summary>
    public int LargestFreeOrder()
    {
        for (int order = _maxOrder; order >= 0; order--)
        {
            if (_head[order] != None)
                return order;
        }
        return None;
    }

    /// <summary>Takes a block of exactly <paramref name="order"/>, splitting a larger one; -1 when none exists.</summary>
    public int Take(int order)
    {
        int found = order;
        while (found <= _maxOrder && _head[found] == None)
            found++;
        if (found > _maxOrder)
            return None;

        int page = _head[found];
        Remove(page, found);
        while (found > order)
        {
            found--;
            Insert(page + (1 << found), found);
        }
        FreePages -= 1 << order;
        return page;
    }

    /// <summary>Returns a block and merges it with its buddy for as long as the buddy is free.</summary>
    public void Release(int page, int order)
    {
        FreePages += 1 << order;
        while (order < _maxOrder)
        {
            int buddy = page ^ (1 << order);
            if (buddy >= _pageCount || _freeOrder[buddy] != order)
                break;
            Remove(buddy, order);
            page &= ~(1 << order);
            order++;
        }
        Insert(page, order);
    }

    private void Insert(int page, int order)
    {
        int head = _head[order];
        _next[page] = head;
        _prev[page] = None;
        if (head != None)
            _prev[head] = page;
        _head[order] = page;
        _freeOrder[page] = (sbyte)order;
        _blocksPerOrder[order]++;
    }

    private void Remove(int page, int order)
    {
        int next = _next[page], prev = _prev[page];
        if (prev != None)
            _next[prev] = next;
        else
            _head[order] = next;
        if (next != None)
            _prev[next] = prev;
        _freeOrder[page] = (sbyte)None;
        _blocksPerOrder[order]--;
    }
}
