package io.tributary.samples.billing.invoice;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

interface InvoiceRepository extends ListCrudRepository<Invoice, String> {

    List<Invoice> findAllByOrderByIssuedAtDesc();

    Optional<Invoice> findByOrderId(String orderId);

    boolean existsByOrderId(String orderId);
}
