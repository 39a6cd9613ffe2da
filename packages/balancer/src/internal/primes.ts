/** Trial division: table sizes are below 5,000,011, so at most ~1,100 divisions. */
export function isPrime(value: number): boolean {
  if (value < 2 || !Number.isInteger(value)) return false
  if (value % 2 === 0) return value === 2
  for (let divisor = 3; divisor * divisor <= value; divisor += 2) if (value % divisor === 0) return false
  return true
}
