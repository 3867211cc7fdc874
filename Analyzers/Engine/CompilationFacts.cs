using Microsoft.CodeAnalysis;

namespace Folios.Analyzers.Engine;

/// <summary>
/// What every rule shares about one compilation: the Folios types (null where the runtime is not referenced), the
/// framework types, and where each file names what the rules look for. Made once per compilation by the first rule
/// that asks (<see cref="PerCompilation{T}"/>); the framework types and the relevance index are built when first used,
/// so a project that references nothing a rule checks pays for a few lookups only.
/// </summary>
internal sealed class CompilationFacts
{
    private static readonly PerCompilation<CompilationFacts> Cache = new(compilation => new CompilationFacts(compilation));

    private readonly Lazy<FrameworkTypes> _framework;
    private readonly Lazy<Relevance> _relevance;

    private CompilationFacts(Compilation compilation)
    {
        Compilation = compilation;
        Folios = FoliosTypes.Resolve(compilation, this);
        _framework = new Lazy<FrameworkTypes>(() => new FrameworkTypes(compilation));
        _relevance = new Lazy<Relevance>(() => new Relevance(this));
    }

    public Compilation Compilation { get; }

    /// <summary>The Folios API, or null when Folios.Runtime is not referenced (FOLIO001-FOLIO009 then stay silent).</summary>
    public FoliosTypes? Folios { get; }

    /// <summary>The framework's buffer, sequence, pool and decoding types.</summary>
    public FrameworkTypes Framework => _framework.Value;

    /// <summary>Where each file of the compilation names what the rules look for.</summary>
    public Relevance Relevance => _relevance.Value;

    public static CompilationFacts Of(Compilation compilation) => Cache.Of(compilation);
}
