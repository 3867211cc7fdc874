using System.Buffers;

namespace Folios.Resp;

/// <summary>What INCR found.</summary>
internal enum IncrementStatus
{
    Done,
    NotAnInteger,
    Overflow,
    OutOfMemory,
}

/// <summary>
/// Keys and values, the values in Folios memory from the store's own allocator (so a full store never starves the
/// network buffers, nor the reverse). The arena is the store's memory limit: a SET that does not fit fails at once with
/// an OOM error instead of waiting. The keys are spread over shards by hash, each with its own lock, so that connections
/// on different keys do not wait for each other (one lock made MGET spin on it). Thread-safe.
/// </summary>
internal sealed class KeyValueStore(PageAllocator allocator) : IDisposable
{
    private const int ShardBits = 6;
    private readonly KeyValueShard[] _shards = Enumerable.Range(0, 1 << ShardBits).Select(_ => new KeyValueShard(allocator)).ToArray();

    public int Count => _shards.Sum(shard => shard.Count);

    /// <summary>Writes the value as a bulk string, or the null bulk string when the key is missing.</summary>
    public void WriteValue(ReadOnlySpan<byte> key, IBufferWriter<byte> output) => Shard(key).WriteValue(key, output);

    /// <summary>Stores the value (copied into pages) with an expiry in milliseconds from now (0: none).</summary>
    /// <returns>False when the store's arena has no room: nothing changed.</returns>
    public bool Set(ReadOnlySpan<byte> key, ReadOnlySequence<byte> value, long expiresInMilliseconds) => Shard(key).Set(key, value, expiresInMilliseconds);

    public bool Delete(ReadOnlySpan<byte> key) => Shard(key).Delete(key);

    /// <summary>INCR: the value as a 64-bit decimal integer plus one (a missing key counts as 0); the expiry stays.</summary>
    public IncrementStatus Increment(ReadOnlySpan<byte> key, out long result) => Shard(key).Increment(key, out result);

    /// <summary>EXPIRE in milliseconds; zero or less deletes the key.</summary>
    /// <returns>False when the key does not exist.</returns>
    public bool Expire(ReadOnlySpan<byte> key, long milliseconds) => Shard(key).Expire(key, milliseconds);

    /// <summary>TTL in milliseconds: -2 for a missing key, -1 for a key without expiry.</summary>
    public long TimeToLive(ReadOnlySpan<byte> key) => Shard(key).TimeToLive(key);

    /// <summary>Frees every value and every slab page.</summary>
    public void Dispose()
    {
        foreach (var shard in _shards)
            shard.Dispose();
    }

    /// <summary>The shard of a key: the high bits of its hash (the shard's dictionary uses the low ones).</summary>
    private KeyValueShard Shard(ReadOnlySpan<byte> key) => _shards[(uint)ByteKeyComparer.Instance.GetHashCode(key) >> (32 - ShardBits)];
}

/// <summary>
/// One shard of the <see cref="KeyValueStore"/>: its keys, and its values in Folios memory (values up to half a page
/// packed into slab pages by size class, <see cref="ValueSlab"/>; larger ones each in an <see cref="ExtentBuffer"/> of
/// order-0 pages, read and written only through its helpers). Expired keys go when next touched. Thread-safe: every
/// operation takes the shard's lock, short (a copy of one value at most).
/// </summary>
internal sealed class KeyValueShard : IDisposable
{
    private readonly Lock _gate = new();
    private readonly PageAllocator _allocator;
    private readonly ValueSlab _slab;
    private readonly Dictionary<byte[], Entry> _entries = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public KeyValueShard(PageAllocator allocator)
    {
        _allocator = allocator;
        _slab = new ValueSlab(allocator);
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count
    {
        get
        {
            lock (_gate)
                return _entries.Count;
        }
    }

    /// <summary>Writes the value as a bulk string, or the null bulk string when the key is missing.</summary>
    public void WriteValue(ReadOnlySpan<byte> key, IBufferWriter<byte> output)
    {
        lock (_gate)
        {
            if (Find(key) is not { } entry)
            {
                RespWriter.WriteNull(output);
                return;
            }
            if (entry.Buffer is not { } buffer)
            {
                RespWriter.WriteBulk(output, SmallValue(entry));
                return;
            }
            RespWriter.WriteBulkHeader(output, entry.Length);
            for (int offset = 0; offset < entry.Length;)
            {
                int chunk = Math.Min(entry.Length - offset, 4096);
                buffer.Read(offset, output.GetSpan(chunk)[..chunk]);
                output.Advance(chunk);
                offset += chunk;
            }
            RespWriter.Write(output, "\r\n"u8);
        }
    }

    /// <summary>Stores the value (copied into pages) with an expiry in milliseconds from now (0: none).</summary>
    /// <returns>False when the store's arena has no room: nothing changed.</returns>
    public bool Set(ReadOnlySpan<byte> key, ReadOnlySequence<byte> value, long expiresInMilliseconds)
    {
        lock (_gate)
        {
            if (Store(value.Length) is not { } entry)
                return false;
            if (entry.Buffer is { } buffer)
            {
                long offset = 0;
                foreach (var segment in value)
                {
                    buffer.Write((int)offset, segment.Span);
                    offset += segment.Length;
                }
            }
            else
            {
                value.CopyTo(SmallValue(entry));
            }
            entry.Deadline = Deadline(expiresInMilliseconds);
            Replace(key, entry);
            return true;
        }
    }

    public bool Delete(ReadOnlySpan<byte> key)
    {
        lock (_gate)
        {
            if (Find(key) is not { } entry)
                return false;
            _lookup.Remove(key);
            Release(entry);
            return true;
        }
    }

    /// <summary>INCR: the value as a 64-bit decimal integer plus one (a missing key counts as 0); the expiry stays.</summary>
    public IncrementStatus Increment(ReadOnlySpan<byte> key, out long result)
    {
        result = 0;
        lock (_gate)
        {
            long current = 0, deadline = 0;
            var existing = Find(key);
            if (existing is not null)
            {
                if (existing.Buffer is not null || !RespNumber.TryParse(SmallValue(existing), out current))
                    return IncrementStatus.NotAnInteger;
                deadline = existing.Deadline;
            }
            if (current == long.MaxValue)
                return IncrementStatus.Overflow;
            result = current + 1;
            Span<byte> digits = stackalloc byte[RespNumber.MaxLength];
            int length = RespNumber.Format(result, digits);
            // A counter's slot holds its next value too (up to 16 or 32 digits): overwrite in place.
            if (existing is { Length: > 0 } && _slab.Capacity(existing.Slot) >= length)
            {
                digits[..length].CopyTo(_slab.Bytes(existing.Slot));
                existing.Length = length;
                return IncrementStatus.Done;
            }
            if (Store(length) is not { } entry)
                return IncrementStatus.OutOfMemory;
            digits[..length].CopyTo(SmallValue(entry));
            entry.Deadline = deadline;
            Replace(key, entry);
            return IncrementStatus.Done;
        }
    }

    /// <summary>EXPIRE in milliseconds; zero or less deletes the key.</summary>
    /// <returns>False when the key does not exist.</returns>
    public bool Expire(ReadOnlySpan<byte> key, long milliseconds)
    {
        if (milliseconds <= 0)
            return Delete(key);
        lock (_gate)
        {
            if (Find(key) is not { } entry)
                return false;
            entry.Deadline = Deadline(milliseconds);
            return true;
        }
    }

    /// <summary>TTL in milliseconds: -2 for a missing key, -1 for a key without expiry.</summary>
    public long TimeToLive(ReadOnlySpan<byte> key)
    {
        lock (_gate)
        {
            if (Find(key) is not { } entry)
                return -2;
            return entry.Deadline == 0 ? -1 : Math.Max(0, entry.Deadline - Environment.TickCount64);
        }
    }

    /// <summary>Frees every value and the slab's pages.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _entries.Values)
                entry.Buffer?.Dispose();
            _entries.Clear();
            _slab.Dispose();
        }
    }

    /// <summary>The live entry of a key; an expired one is removed and freed on the way.</summary>
    private Entry? Find(ReadOnlySpan<byte> key)
    {
        if (!_lookup.TryGetValue(key, out var entry))
            return null;
        if (entry.Deadline == 0 || entry.Deadline > Environment.TickCount64)
            return entry;
        _lookup.Remove(key);
        Release(entry);
        return null;
    }

    private void Replace(ReadOnlySpan<byte> key, Entry entry)
    {
        if (_lookup.TryGetValue(key, out var old))
            Release(old);
        _lookup[key] = entry;
    }

    /// <summary>Memory for a value of <paramref name="length"/> bytes: nothing for an empty one, a slab slot for a
    /// small one, pages for a large one; null when the arena is full (never waits: a full store answers OOM at once,
    /// as Redis does at its memory limit).</summary>
    private Entry? Store(long length)
    {
        if (length == 0)
            return new Entry(null, default, 0);
        if (length <= _slab.MaxValueLength)
            return _slab.TryAllocate((int)length, out var slot) ? new Entry(null, slot, (int)length) : null;
        try
        {
            return new Entry(ExtentBuffer.Allocate(_allocator, (int)length, AllocationPolicy.Pages, AllocFlags.None), default, (int)length);
        }
        catch (PageAllocationException)
        {
            return null;
        }
    }

    private void Release(Entry entry)
    {
        if (entry.Buffer is { } buffer)
            buffer.Dispose();
        else if (entry.Length > 0)
            _slab.Free(entry.Slot);
    }

    /// <summary>The bytes of a value kept in the slab.</summary>
    private Span<byte> SmallValue(Entry entry) => entry.Length == 0 ? [] : _slab.Bytes(entry.Slot)[..entry.Length];

    private static long Deadline(long milliseconds) => milliseconds == 0 ? 0 : Environment.TickCount64 + milliseconds;

    /// <summary>A value: in <see cref="Buffer"/> when large, else in <see cref="Slot"/> (none when empty).</summary>
    private sealed class Entry(ExtentBuffer? buffer, SlotHandle slot, int length)
    {
        public ExtentBuffer? Buffer { get; } = buffer;

        public SlotHandle Slot { get; } = slot;

        public int Length { get; set; } = length;

        /// <summary>When the key expires (Environment.TickCount64), or 0 for never.</summary>
        public long Deadline { get; set; }
    }
}
