/// LoanRisk's own version, for `loanrisk_build_info` and the logs.
public enum AppVersion {
    public static let current = "0.3.0"
}
