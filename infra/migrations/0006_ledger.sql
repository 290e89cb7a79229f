-- The money ledger (issue 13): what each position made as the exchange booked it. Read from the
-- account's trades and income history when the position ends, never from what order answers or
-- stream frames happened to carry. All nullable: filled in once, when the position settles.
--   gross_pnl     realised PnL of the position's fills, before fees (the exchange's REALIZED_PNL)
--   fees          commissions charged on its fills (a positive amount)
--   funding       funding fees over its lifetime, signed as credited (negative = paid)
--   net_pnl       gross_pnl − fees + funding; `pnl` carries the same figure for earlier readers
--   exit_reason   what ended it: the exit that closed the largest part of it
ALTER TABLE positions
  ADD COLUMN gross_pnl DECIMAL(36,18) NULL AFTER pnl,
  ADD COLUMN fees DECIMAL(36,18) NULL AFTER gross_pnl,
  ADD COLUMN funding DECIMAL(36,18) NULL AFTER fees,
  ADD COLUMN net_pnl DECIMAL(36,18) NULL AFTER funding,
  ADD COLUMN exit_reason ENUM('take-profit','stop-loss','operator','drift','residual','liquidation') NULL AFTER net_pnl;

-- Commission the exchange charged on an order's fills, beside its executed quantity and average price.
ALTER TABLE orders
  ADD COLUMN commission DECIMAL(36,18) NULL AFTER avg_price;
