using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Folios;

/// <summary>
/// An <see cref="ArrayPool{T}"/> for tests and debug builds that catches at run time what rule FOLIO011 catches in
/// source: an array returned twice or to a pool that never rented it (both throw at the <see cref="Return"/>), and
/// an array written after its return. A returned array is poisoned (filled with <see cref="PoisonByte"/>, or
/// cleared when <typeparamref name="T"/> holds references); when it is rented again, or when
/// <see cref="VerifyReturnedArrays"/> is called, a changed element means someone still wrote to it after returning
/// it, and that is reported with the stacks of its last rent and return when <c>captureStacks</c> is on.
/// Thread-safe. Every rent and return pays a lookup and the poisoning (a fill and a scan of the array).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class CheckedArrayPool<T> : ArrayPool<T>
{
    /// <summary>The byte a returned array of an unmanaged <typeparamref name="T"/> is filled with.</summary>
    public const byte PoisonByte = 0xDB;

    private readonly ArrayPool<T> _inner;
    private readonly bool _captureStacks;
    private readonly ConditionalWeakTable<T[], Loan> _loans = new();

    /// <summary>Wraps <paramref name="inner"/>, by default a pool of this one's own (<see cref="ArrayPool{T}.Create()"/>).</summary>
    /// <param name="inner">The pool arrays come from and go back to. It should serve no one else: an array it hands to
    /// another user between two rents here is written legitimately, and would be reported as written after return.</param>
    /// <param name="captureStacks">Record the stack of every rent and return, for the reports (slow: microseconds per call).</param>
    public CheckedArrayPool(ArrayPool<T>? inner = null, bool captureStacks = false)
    {
        _inner = inner ?? Create();
        _captureStacks = captureStacks;
    }

    /// <summary>Rents an array of at least <paramref name="minimumLength"/> elements from the inner pool. The inner
    /// pool's zero-length array is shared by every renter and is not checked.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative (the inner pool's own check).</exception>
    /// <exception cref="InvalidOperationException">The array the inner pool handed out was written after it was
    /// returned here, or is still rented here (it went back to the inner pool without this pool). The message
    /// gives the first changed element and the stacks; the array is dropped, not handed out.</exception>
    public override T[] Rent(int minimumLength)
    {
        var array = _inner.Rent(minimumLength);
        if (array.Length == 0)
            return array;
        string? stack = _captureStacks ? new StackTrace(1, fNeedFileInfo: true).ToString() : null;
        while (true)
        {
            var loan = _loans.GetValue(array, static _ => new Loan());
            lock (loan)
            {
                switch (loan.State)
                {
                    case LoanState.Returned when FirstChanged(array) is int changed:
                        loan.State = LoanState.Dropped;
                        throw new InvalidOperationException(Describe(array, loan, $"was written after it was returned: element {changed} changed", "It is dropped, not handed out."));
                    case LoanState.Rented:
                        throw new InvalidOperationException(Describe(array, loan, "was handed out again while still rented here: it went back to the inner pool without this pool's Return", "It is not handed out twice."));
                    case LoanState.Dropped:
                        break;
                    default:
                        loan.State = LoanState.Rented;
                        loan.RentStack = stack;
                        loan.ReturnStack = null;
                        return array;
                }
            }
            // Reported by VerifyReturnedArrays already: leave that array behind and take another.
            array = _inner.Rent(minimumLength);
            if (array.Length == 0)
                return array;
        }
    }

    /// <summary>Poisons the array and gives it back to the inner pool (poisoning also clears it, whatever
    /// <paramref name="clearArray"/> says).</summary>
    /// <exception cref="ArgumentNullException">The array is null.</exception>
    /// <exception cref="ArgumentException">This pool never rented the array (it comes from another pool, or was
    /// allocated); nothing changed.</exception>
    /// <exception cref="InvalidOperationException">The array was already returned (a double return); nothing changed.
    /// The message gives the stacks of its rent and first return when stacks are captured.</exception>
    public override void Return(T[] array, bool clearArray = false)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length == 0)
            return;
        if (!_loans.TryGetValue(array, out var loan))
            throw new ArgumentException($"This {Describe(array)} was never rented from this pool: return it to the pool it came from.", nameof(array));
        lock (loan)
        {
            if (loan.State != LoanState.Rented)
                throw new InvalidOperationException(Describe(array, loan, "was returned twice", "The second return changed nothing."));
            Poison(array);
            loan.State = LoanState.Returned;
            loan.ReturnStack = _captureStacks ? new StackTrace(1, fNeedFileInfo: true).ToString() : null;
        }
        _inner.Return(array, clearArray: false);
    }

    /// <summary>
    /// Checks every array returned here and not rented since: throws if any was written after its return, and
    /// leaves those arrays out of later rents. Call it at the end of a test, or now and then in a debug build.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some returned arrays were written after their return; the message
    /// lists each with its first changed element and the stacks.</exception>
    public void VerifyReturnedArrays()
    {
        var report = new StringBuilder();
        foreach (var (array, loan) in _loans)
        {
            lock (loan)
            {
                if (loan.State == LoanState.Returned && FirstChanged(array) is int changed)
                {
                    loan.State = LoanState.Dropped;
                    report.AppendLine(Describe(array, loan, $"was written after it was returned: element {changed} changed", ""));
                }
            }
        }
        if (report.Length > 0)
            throw new InvalidOperationException(report.ToString());
    }

    private static void Poison(T[] array)
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(array);
            return;
        }
        for (int start = 0; start < array.Length; start += ElementsPerChunk)
            Bytes(array, start).Fill(PoisonByte);
    }

    /// <summary>The first element that is not poison, or null when the poison is intact.</summary>
    private static int? FirstChanged(T[] array)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            for (int start = 0; start < array.Length; start += ElementsPerChunk)
            {
                int changedByte = Bytes(array, start).IndexOfAnyExcept(PoisonByte);
                if (changedByte >= 0)
                    return start + (changedByte / Unsafe.SizeOf<T>());
            }
            return null;
        }
        var comparer = EqualityComparer<T>.Default;
        for (int i = 0; i < array.Length; i++)
        {
            if (!comparer.Equals(array[i], default!))
                return i;
        }
        return null;
    }

    /// <summary>Elements whose bytes fit one span (arrays of large structs may hold more than int.MaxValue bytes).</summary>
    private static int ElementsPerChunk => int.MaxValue / Unsafe.SizeOf<T>();

    /// <summary>The bytes of up to <see cref="ElementsPerChunk"/> elements from <paramref name="start"/>; only for a
    /// <typeparamref name="T"/> without references.</summary>
    private static Span<byte> Bytes(T[] array, int start)
    {
        int count = Math.Min(array.Length - start, ElementsPerChunk);
        ref byte first = ref Unsafe.As<T, byte>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), start));
        return MemoryMarshal.CreateSpan(ref first, count * Unsafe.SizeOf<T>());
    }

    private static string Describe(T[] array) => $"array of {array.Length} {typeof(T).Name}";

    private static string Describe(T[] array, Loan loan, string what, string consequence)
    {
        var message = new StringBuilder($"This {Describe(array)} {what}. {consequence}".TrimEnd());
        if (loan.RentStack is null && loan.ReturnStack is null)
            message.Append(" (Create the CheckedArrayPool with captureStacks: true to see where it was rented and returned.)");
        if (loan.RentStack is not null)
            message.Append("\nLast rented at:\n").Append(loan.RentStack);
        if (loan.ReturnStack is not null)
            message.Append("\nLast returned at:\n").Append(loan.ReturnStack);
        return message.ToString();
    }

    private enum LoanState
    {
        /// <summary>Handed out by the inner pool before this pool saw it (a new entry).</summary>
        New,
        Rented,
        Returned,
        /// <summary>Written after return and reported: never handed out again.</summary>
        Dropped,
    }

    /// <summary>What this pool knows of one array; locked for every change.</summary>
    private sealed class Loan
    {
        public LoanState State;
        public string? RentStack;
        public string? ReturnStack;
    }
}
