using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Folios.Btrfs;

/// <summary>
/// Unkeyed BLAKE2b (RFC 7693) with a digest of 1 to 64 bytes; btrfs's blake2b checksum is its 32-byte form. Written
/// here because no BLAKE2b package served to this project supports net8.0 (NSec needs net9.0). Append the data, in
/// as many pieces as it comes in, then <see cref="Finish"/> once.
/// </summary>
internal sealed class Blake2b
{
    private const int BlockSize = 128;

    // The initial hash words are SHA-512's (RFC 7693, section 2.6).
    private static readonly ulong[] InitialVector =
    [
        0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
        0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
    ];

    // The message word order of each round (section 2.7); rounds 10 and 11 repeat rounds 0 and 1.
    private static readonly byte[] Sigma =
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    ];

    private readonly ulong[] _state = new ulong[8];
    private readonly byte[] _block = new byte[BlockSize];
    private readonly int _digestSize;
    private int _filled;
    private UInt128 _counted;
    private bool _finished;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="digestSize"/> is not 1 to 64.</exception>
    public Blake2b(int digestSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digestSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digestSize, 64);
        _digestSize = digestSize;
        InitialVector.CopyTo(_state, 0);
        // Parameter block word 0: digest length, no key, fanout 1, depth 1.
        _state[0] ^= 0x01010000UL | (uint)digestSize;
    }

    /// <summary>The BLAKE2b digest of <paramref name="bytes"/>, as long as <paramref name="destination"/> (1 to 64 bytes).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="destination"/> is not 1 to 64 bytes long.</exception>
    public static void Hash(ReadOnlySequence<byte> bytes, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, 1, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, 64, nameof(destination));
        var hash = new Blake2b(destination.Length);
        foreach (var segment in bytes)
            hash.Append(segment.Span);
        hash.Finish(destination);
    }

    /// <exception cref="InvalidOperationException">The digest was already taken.</exception>
    public void Append(ReadOnlySpan<byte> data)
    {
        ThrowIfFinished();
        while (!data.IsEmpty)
        {
            // The last block is compressed differently, so a full block waits until more data proves it is not the last.
            if (_filled == BlockSize)
            {
                _counted += BlockSize;
                Compress(_block, last: false);
                _filled = 0;
            }
            int take = Math.Min(BlockSize - _filled, data.Length);
            data[..take].CopyTo(_block.AsSpan(_filled));
            _filled += take;
            data = data[take..];
        }
    }

    /// <summary>Writes the digest (the length given to the constructor) to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the digest.</exception>
    /// <exception cref="InvalidOperationException">The digest was already taken.</exception>
    public void Finish(Span<byte> destination)
    {
        ThrowIfFinished();
        if (destination.Length < _digestSize)
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the digest is {_digestSize}.", nameof(destination));
        _finished = true;
        _counted += (uint)_filled;
        _block.AsSpan(_filled).Clear();
        Compress(_block, last: true);
        Span<byte> digest = stackalloc byte[64];
        for (int i = 0; i < _state.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(digest[(i * 8)..], _state[i]);
        digest[.._digestSize].CopyTo(destination);
    }

    private void ThrowIfFinished()
    {
        if (_finished)
            throw new InvalidOperationException("This BLAKE2b digest was already taken; start a new one.");
    }

    private void Compress(ReadOnlySpan<byte> block, bool last)
    {
        Span<ulong> m = stackalloc ulong[16];
        for (int i = 0; i < m.Length; i++)
            m[i] = BinaryPrimitives.ReadUInt64LittleEndian(block[(i * 8)..]);
        // The working vector lives in locals (not an array) so that the JIT keeps it in registers.
        ulong v0 = _state[0], v1 = _state[1], v2 = _state[2], v3 = _state[3], v4 = _state[4], v5 = _state[5], v6 = _state[6], v7 = _state[7];
        ulong v8 = InitialVector[0], v9 = InitialVector[1], v10 = InitialVector[2], v11 = InitialVector[3];
        ulong v12 = InitialVector[4] ^ (ulong)_counted, v13 = InitialVector[5] ^ (ulong)(_counted >> 64);
        ulong v14 = last ? ~InitialVector[6] : InitialVector[6], v15 = InitialVector[7];
        for (int round = 0; round < 12; round++)
        {
            var s = Sigma.AsSpan(round % 10 * 16, 16);
            Mix(ref v0, ref v4, ref v8, ref v12, m[s[0]], m[s[1]]);
            Mix(ref v1, ref v5, ref v9, ref v13, m[s[2]], m[s[3]]);
            Mix(ref v2, ref v6, ref v10, ref v14, m[s[4]], m[s[5]]);
            Mix(ref v3, ref v7, ref v11, ref v15, m[s[6]], m[s[7]]);
            Mix(ref v0, ref v5, ref v10, ref v15, m[s[8]], m[s[9]]);
            Mix(ref v1, ref v6, ref v11, ref v12, m[s[10]], m[s[11]]);
            Mix(ref v2, ref v7, ref v8, ref v13, m[s[12]], m[s[13]]);
            Mix(ref v3, ref v4, ref v9, ref v14, m[s[14]], m[s[15]]);
        }
        _state[0] ^= v0 ^ v8;
        _state[1] ^= v1 ^ v9;
        _state[2] ^= v2 ^ v10;
        _state[3] ^= v3 ^ v11;
        _state[4] ^= v4 ^ v12;
        _state[5] ^= v5 ^ v13;
        _state[6] ^= v6 ^ v14;
        _state[7] ^= v7 ^ v15;
    }

    /// <summary>The mixing function G (section 3.1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(ref ulong a, ref ulong b, ref ulong c, ref ulong d, ulong x, ulong y)
    {
        a += b + x;
        d = BitOperations.RotateRight(d ^ a, 32);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 24);
        a += b + y;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 63);
    }
}
