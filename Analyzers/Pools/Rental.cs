using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pools;

/// <summary>
/// A request to a pool for a buffer of at least some size: <c>ArrayPool&lt;T&gt;.Rent(n)</c>, which returns an array,
/// or <c>MemoryPool&lt;T&gt;.Rent(n)</c>, which returns an owner whose <c>Memory</c> is the buffer; on any pool of
/// those types or derived from them, since the contract of every one is "at least n".
/// </summary>
internal sealed class Rental
{
    private Rental(IInvocationOperation call, IOperation size, bool ofMemoryPool)
    {
        Call = call;
        Size = size;
        OfMemoryPool = ofMemoryPool;
    }

    public IInvocationOperation Call { get; }

    /// <summary>The size asked for: the argument of Rent.</summary>
    public IOperation Size { get; }

    /// <summary>A MemoryPool's owner, whose <c>Memory</c> is the buffer; otherwise the call returns the array itself.</summary>
    public bool OfMemoryPool { get; }

    public int Position => Call.Syntax.SpanStart;

    public static Rental? TryCreate(IInvocationOperation call, FrameworkTypes types)
    {
        if (call.TargetMethod.Name != Names.ArrayPool.Rent || call.Arguments.Length != 1 || call.Arguments[0].ArgumentKind == ArgumentKind.DefaultValue)
            return null;
        var size = call.Arguments[0].Value;
        if (FrameworkTypes.IsOrDerivesFrom(call.TargetMethod.ContainingType, types.ArrayPool))
            return new Rental(call, size, ofMemoryPool: false);
        // MemoryPool's Rent(-1) is Rent(): a buffer of the pool's default size, which is all the caller asked for.
        if (FrameworkTypes.IsOrDerivesFrom(call.TargetMethod.ContainingType, types.MemoryPool) && !(ConstantValues.TryGetInt64(size, out long asked) && asked < 0))
            return new Rental(call, size, ofMemoryPool: true);
        return null;
    }

    /// <summary>
    /// A request the framework's pools serve exactly: a constant power of two of at least 16 (their smallest bucket),
    /// which every ArrayPool and MemoryPool of the framework rounds up to itself.
    /// </summary>
    public bool IsExactPowerOfTwo => ConstantValues.TryGetInt64(Size, out long asked) && asked >= 16 && (asked & (asked - 1)) == 0;

    public override string ToString() => Call.Syntax.ToString();
}
