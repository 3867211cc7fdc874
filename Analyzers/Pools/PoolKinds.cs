using Folios.Analyzers.Engine;

namespace Folios.Analyzers.Pools;

/// <summary>The pool rules' shared state for one compilation: the framework's pools and the two kinds of pooled resource.</summary>
internal sealed class PoolKinds(FrameworkTypes types)
{
    /// <summary>Where code rents from a pool (<c>.Rent(</c>): the places of FOLIO011, FOLIO012 and FOLIO013.</summary>
    public static readonly Vocabulary Rentals = Vocabulary.OfWords("pool rentals",
        static _ => [Names.ArrayPool.Rent],
        static (text, start, end) => TextScan.Before(text, start) == '.' && TextScan.After(text, end) is '(' or '<');

    public PooledArrayKind Arrays { get; } = new(types);

    public MemoryOwnerKind Owners { get; } = new(types);

    /// <summary>The pools of a compilation that has ArrayPool (every .NET since Core 2.1), else null.</summary>
    public static PoolKinds? Of(CompilationFacts facts) => facts.Framework.ArrayPool is null ? null : new PoolKinds(facts.Framework);
}
